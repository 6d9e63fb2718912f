#include "web/http_parser.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "web/http_syntax.h"

namespace saleslake::web {
namespace {

using http_syntax::IsFieldValueChar;
using http_syntax::IsToken;
using http_syntax::ListElements;
using http_syntax::Lowered;
using http_syntax::Shown;
using http_syntax::TrimWhitespace;

void ParseQuery(std::string_view query, QueryParams* params) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key = PercentDecode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true);
    params->emplace(std::move(key), std::move(value));
  }
}

}  // namespace

void RequestParser::Reset() {
  phase_ = Phase::kHead;
  request_ = HttpRequest{};
  error_ = ParseError{};
  started_ = false;
  head_scanned_ = 0;
  remaining_ = 0;
  trailer_bytes_ = 0;
  body_too_large_ = false;
}

bool RequestParser::body_pending() const {
  return phase_ == Phase::kBody || phase_ == Phase::kChunkSize || phase_ == Phase::kChunkData ||
         phase_ == Phase::kChunkEnd || phase_ == Phase::kTrailer;
}

RequestParser::Step RequestParser::Fail(int status, std::string message) {
  phase_ = Phase::kFailed;
  error_ = ParseError{status, std::move(message)};
  request_.keep_alive = false;
  return Step::kFailed;
}

RequestParser::Step RequestParser::Advance(std::string* input) {
  switch (phase_) {
    case Phase::kFailed:
      return Step::kFailed;
    case Phase::kDone:
      return Step::kDone;
    case Phase::kHead: {
      // Empty lines before a request line are ignored (RFC 9112 §2.2): some clients send a CRLF
      // after a body.
      if (!started_) {
        size_t skip = 0;
        while (skip + 1 < input->size() && (*input)[skip] == '\r' && (*input)[skip + 1] == '\n') {
          skip += 2;
        }
        input->erase(0, skip);
        // A lone CR may be the first half of another empty line.
        if (input->empty() || *input == "\r") return Step::kNeedMore;
        started_ = true;
      }
      const size_t from = head_scanned_ >= 3 ? head_scanned_ - 3 : 0;
      const size_t end = input->find("\r\n\r\n", from);
      if (end == std::string::npos) {
        head_scanned_ = input->size();
        // The limits are on the lines without their CRLF, so one byte (the CR) or three (CR LF
        // CR) past a limit may still end within it: the answer never depends on how the bytes
        // were split into reads.
        const size_t line_end = input->find("\r\n");
        if (line_end == std::string::npos ? input->size() > limits_.max_request_line + 1
                                          : line_end > limits_.max_request_line) {
          return Fail(414, "request URI too long (limit " +
                               std::to_string(limits_.max_request_line) + " bytes)");
        }
        if (input->size() >= limits_.max_head_bytes + 4) {
          return Fail(431, "request header fields too large (limit " +
                               std::to_string(limits_.max_head_bytes) + " bytes)");
        }
        return Step::kNeedMore;
      }
      if (end > limits_.max_head_bytes) {
        return Fail(431, "request header fields too large (limit " +
                             std::to_string(limits_.max_head_bytes) + " bytes)");
      }
      Step step = ParseHead(std::string_view(*input).substr(0, end));
      input->erase(0, end + 4);
      return step;
    }
    case Phase::kBody: {
      if (body_too_large_) {
        return Fail(413, "request body too large (limit " + std::to_string(limits_.max_body_bytes) +
                             " bytes)");
      }
      const size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, input->size()));
      request_.body.append(*input, 0, n);
      input->erase(0, n);
      remaining_ -= n;
      if (remaining_ > 0) return Step::kNeedMore;
      phase_ = Phase::kDone;
      return Step::kDone;
    }
    default:
      return ReadChunked(input);
  }
}

RequestParser::Step RequestParser::ParseHead(std::string_view head) {
  // Lines end in CRLF; a CR or LF anywhere else is a framing ambiguity.
  std::vector<std::string_view> lines;
  while (true) {
    const size_t crlf = head.find("\r\n");
    std::string_view line = head.substr(0, crlf);
    if (line.find_first_of("\r\n") != std::string_view::npos) {
      return Fail(400, "bare CR or LF in the request head (lines end in CRLF)");
    }
    lines.push_back(line);
    if (crlf == std::string_view::npos) break;
    head.remove_prefix(crlf + 2);
  }
  if (lines[0].size() > limits_.max_request_line) {
    return Fail(
        414, "request URI too long (limit " + std::to_string(limits_.max_request_line) + " bytes)");
  }
  if (lines.size() - 1 > limits_.max_fields) {
    return Fail(431, "too many header fields (limit " + std::to_string(limits_.max_fields) + ")");
  }

  // request-line = method SP request-target SP HTTP-version
  std::string_view line = lines[0];
  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Fail(400, "bad request");
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!IsToken(method) || target.empty()) return Fail(400, "bad request");
  for (unsigned char c : target) {
    if (c <= 0x20 || c >= 0x7f) return Fail(400, "bad request");
  }
  if (version == "HTTP/1.1") {
    request_.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    request_.minor_version = 0;
  } else if (version.size() == 8 && version.starts_with("HTTP/") && version[6] == '.' &&
             version[5] >= '0' && version[5] <= '9' && version[7] >= '0' && version[7] <= '9') {
    return Fail(
        505, "HTTP version " + std::string(version.substr(5)) + " is not supported (use HTTP/1.1)");
  } else {
    return Fail(400, "bad request");
  }
  request_.method = std::string(method);
  request_.target = std::string(target);

  std::string_view origin_form = target;
  std::string absolute_authority;
  bool absolute = false;
  if (target.front() == '/') {
    // origin-form
  } else if (target == "*" && method == "OPTIONS") {
    // asterisk-form
  } else {
    const std::string lowered = Lowered(target.substr(0, 8));
    const size_t scheme = lowered.starts_with("http://")    ? 7
                          : lowered.starts_with("https://") ? 8
                                                            : 0;
    if (scheme == 0) return Fail(400, "bad request target " + Shown(target));
    // absolute-form (RFC 9112 §3.2.2): the authority in the target replaces the Host field.
    std::string_view rest = target.substr(scheme);
    const size_t slash = rest.find_first_of("/?");
    absolute_authority = std::string(rest.substr(0, slash));
    origin_form = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
    absolute = true;
    if (absolute_authority.empty() || absolute_authority.find('@') != std::string::npos) {
      return Fail(400, "bad request target " + Shown(target));
    }
  }
  const size_t question = origin_form.find('?');
  request_.path = PercentDecode(origin_form.substr(0, question), false);
  if (question != std::string_view::npos) {
    request_.query = std::string(origin_form.substr(question + 1));
    ParseQuery(request_.query, &request_.params);
  }

  // Header fields.
  int hosts = 0;
  std::string content_length;
  bool has_content_length = false;
  std::vector<std::string> codings;
  bool has_transfer_encoding = false;
  request_.keep_alive = request_.minor_version == 1;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view field = lines[i];
    if (field.empty() || field.front() == ' ' || field.front() == '\t') {
      return Fail(400, "obsolete line folding is not accepted (RFC 9112 §5.2)");
    }
    const size_t colon = field.find(':');
    if (colon == std::string_view::npos) {
      return Fail(400, "header line without a colon: " + Shown(field));
    }
    const std::string_view name = field.substr(0, colon);
    if (!IsToken(name)) {
      return Fail(400, "bad header name " + Shown(name) +
                           " (a name is a token; no space is allowed before the colon)");
    }
    const std::string_view value = TrimWhitespace(field.substr(colon + 1));
    for (unsigned char c : value) {
      if (!IsFieldValueChar(c)) {
        return Fail(400, "header " + Shown(name) + " contains a control character");
      }
    }
    request_.headers.emplace_back(std::string(name), std::string(value));

    if (EqualsIgnoreCase(name, "Host")) {
      ++hosts;
      request_.authority = std::string(value);
    } else if (EqualsIgnoreCase(name, "Content-Length")) {
      for (std::string_view element : ListElements(value)) {
        if (element.empty() || element.size() > 18 ||
            element.find_first_not_of("0123456789") != std::string_view::npos) {
          return Fail(400, "bad Content-Length " + Shown(value));
        }
        if (has_content_length && element != content_length) {
          return Fail(400, "conflicting Content-Length values");
        }
        content_length = std::string(element);
        has_content_length = true;
      }
    } else if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
      has_transfer_encoding = true;
      for (std::string_view element : ListElements(value)) {
        codings.push_back(Lowered(TrimWhitespace(element.substr(0, element.find(';')))));
      }
    } else if (EqualsIgnoreCase(name, "Connection")) {
      for (std::string_view option : ListElements(value)) {
        if (EqualsIgnoreCase(option, "close")) request_.keep_alive = false;
        if (EqualsIgnoreCase(option, "keep-alive") && request_.minor_version == 0) {
          request_.keep_alive = true;
        }
      }
    } else if (EqualsIgnoreCase(name, "Expect")) {
      if (!EqualsIgnoreCase(value, "100-continue")) {
        return Fail(417, "Expect " + Shown(value) + " is not supported");
      }
      request_.expects_continue = request_.minor_version == 1;
    }
  }
  if (absolute) {
    request_.authority = absolute_authority;
    request_.has_authority = true;
  } else if (hosts == 1) {
    request_.has_authority = true;
  } else if (hosts > 1) {
    return Fail(400, "more than one Host header");
  } else if (request_.minor_version == 1) {
    return Fail(400, "missing Host header (required in HTTP/1.1)");
  }

  // Message framing (RFC 9112 §6.1, §6.3).
  if (has_transfer_encoding) {
    if (request_.minor_version == 0) {
      return Fail(400, "Transfer-Encoding is not allowed in an HTTP/1.0 request");
    }
    if (has_content_length) {
      return Fail(400, "a request may not have both Content-Length and Transfer-Encoding");
    }
    for (const std::string& coding : codings) {
      if (coding.empty()) return Fail(400, "empty element in Transfer-Encoding");
      if (coding != "chunked") {
        return Fail(501,
                    "transfer coding " + Shown(coding) + " is not supported (only chunked is)");
      }
    }
    if (codings.size() > 1) return Fail(400, "chunked transfer coding applied twice");
    phase_ = Phase::kChunkSize;
    return Step::kHead;
  }
  if (has_content_length) {
    remaining_ = std::stoull(content_length);
    body_too_large_ = remaining_ > limits_.max_body_bytes;
  }
  phase_ = remaining_ > 0 ? Phase::kBody : Phase::kDone;
  return Step::kHead;
}

}  // namespace saleslake::web
