// The body half of RequestParser: chunked transfer coding (RFC 9112 §7.1), read incrementally
// with every line and the running total capped.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "web/http_parser.h"
#include "web/http_syntax.h"

namespace saleslake::web {

using http_syntax::IsFieldValueChar;
using http_syntax::IsToken;
using http_syntax::Shown;
using http_syntax::TrimWhitespace;

RequestParser::Step RequestParser::ReadChunked(std::string* input) {
  constexpr size_t kMaxChunkLine = 1024;  // chunk size + extensions
  constexpr size_t kMaxTrailerBytes = 8192;
  while (true) {
    switch (phase_) {
      case Phase::kChunkSize: {
        const size_t crlf = input->find("\r\n");
        if (crlf == std::string::npos) {
          if (input->size() > kMaxChunkLine + 1) return Fail(400, "chunk size line too long");
          return Step::kNeedMore;
        }
        if (crlf > kMaxChunkLine) return Fail(400, "chunk size line too long");
        std::string_view line(input->data(), crlf);
        size_t digits = 0;
        uint64_t size = 0;
        while (digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits]))) {
          if (digits == 15) return Fail(413, "chunk size too large");
          const char c = line[digits];
          size = size * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
          ++digits;
        }
        std::string_view ext = TrimWhitespace(line.substr(digits));
        if (digits == 0 || (!ext.empty() && ext.front() != ';')) {
          return Fail(400, "bad chunk size line " + Shown(line));
        }
        for (unsigned char c : ext) {
          if (!IsFieldValueChar(c)) return Fail(400, "control character in a chunk extension");
        }
        input->erase(0, crlf + 2);
        if (size > limits_.max_body_bytes - request_.body.size()) {
          return Fail(413, "request body too large (limit " +
                               std::to_string(limits_.max_body_bytes) + " bytes)");
        }
        remaining_ = size;
        phase_ = size == 0 ? Phase::kTrailer : Phase::kChunkData;
        break;
      }
      case Phase::kChunkData: {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, input->size()));
        request_.body.append(*input, 0, n);
        input->erase(0, n);
        remaining_ -= n;
        if (remaining_ > 0) return Step::kNeedMore;
        phase_ = Phase::kChunkEnd;
        break;
      }
      case Phase::kChunkEnd:
        if (input->size() < 2) return Step::kNeedMore;
        if ((*input)[0] != '\r' || (*input)[1] != '\n') return Fail(400, "chunk not ended by CRLF");
        input->erase(0, 2);
        phase_ = Phase::kChunkSize;
        break;
      case Phase::kTrailer: {
        // Trailer fields are checked like header fields, then dropped: none is used.
        const size_t crlf = input->find("\r\n");
        if (crlf == std::string::npos) {
          if (trailer_bytes_ + input->size() > kMaxTrailerBytes) {
            return Fail(431, "trailer fields too large");
          }
          return Step::kNeedMore;
        }
        trailer_bytes_ += crlf + 2;
        if (trailer_bytes_ > kMaxTrailerBytes) return Fail(431, "trailer fields too large");
        std::string_view field(input->data(), crlf);
        if (field.empty()) {
          input->erase(0, 2);
          phase_ = Phase::kDone;
          return Step::kDone;
        }
        const size_t colon = field.find(':');
        if (colon == std::string_view::npos || !IsToken(field.substr(0, colon))) {
          return Fail(400, "bad trailer field " + Shown(field));
        }
        for (unsigned char c : field.substr(colon + 1)) {
          if (!IsFieldValueChar(c)) return Fail(400, "control character in a trailer field");
        }
        input->erase(0, crlf + 2);
        break;
      }
      default:
        return Fail(500, "parser in an impossible state");
    }
  }
}

}  // namespace saleslake::web
