// RequestParser: a strict, incremental HTTP/1.1 request parser (RFC 9112) for untrusted bytes.
//
// It reads one request at a time from the bytes a connection has received: the head (request
// line and header fields), then the body framed by Content-Length or chunked transfer coding.
// Every size is capped while reading (request line, head, header count, body, chunk-size lines,
// trailers), so memory stays bounded whatever the peer sends, and everything ambiguous is refused
// rather than guessed at, since a proxy in front might guess differently (request smuggling):
//   - Content-Length together with Transfer-Encoding, or two different Content-Lengths: 400;
//   - a transfer coding other than chunked: 501; chunked not last, or twice: 400;
//   - whitespace between a field name and its colon, obsolete line folding, a bare CR or LF, and
//     any control byte (NUL included) in the request line or a field: 400;
//   - a missing or repeated Host in HTTP/1.1: 400; an HTTP version other than 1.0/1.1: 505;
//   - a body over the limit: 413, from the Content-Length before any of it is read, or as soon
//     as the chunks read so far pass it.
// A refused request leaves the connection unusable: the server answers and closes it.
//
//   RequestParser parser(limits);
//   while (true) {
//     switch (parser.Advance(&received)) {   // consumes from the front of `received`
//       case RequestParser::Step::kNeedMore: read more into `received`; continue;
//       case RequestParser::Step::kHead:     decide from parser.request() (route, Host); continue;
//       case RequestParser::Step::kDone:     serve parser.request(); parser.Reset(); continue;
//       case RequestParser::Step::kFailed:   answer parser.error(), close.
//     }
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "web/http_request.h"

namespace saleslake::web {

struct ParseLimits {
  size_t max_request_line = 8 * 1024;  // longer: 414
  size_t max_head_bytes = 32 * 1024;   // request line + fields; longer: 431
  size_t max_fields = 100;             // more: 431
  size_t max_body_bytes = 1 << 20;     // larger (declared or read so far): 413
};

struct ParseError {
  int status = 400;
  std::string message;
};

class RequestParser {
 public:
  enum class Step {
    kNeedMore,  // every byte given is used: read more
    kHead,      // the head is complete; request() has everything but the body
    kDone,      // the request is complete, body included
    kFailed,    // error() says why; nothing more is read from this connection
  };

  explicit RequestParser(ParseLimits limits) : limits_(limits) {}

  // Consumes what it can from the front of `*input`. Returns kHead once per request (after which
  // the caller may refuse it without reading its body), then kDone.
  Step Advance(std::string* input);
  // Forgets the request, ready for the next one on the same connection.
  void Reset();

  HttpRequest& request() { return request_; }
  const ParseError& error() const { return error_; }
  // True once any byte of the current request arrived (an idle connection has none).
  bool started() const { return started_; }
  // True after kHead while body bytes remain to be read.
  bool body_pending() const;
  // True after kHead when the declared Content-Length is over the limit: the caller answers 413
  // (after routing, so that a wrong path still gets 404) and reads none of it.
  bool body_too_large() const { return body_too_large_; }

 private:
  enum class Phase { kHead, kBody, kChunkSize, kChunkData, kChunkEnd, kTrailer, kDone, kFailed };

  Step Fail(int status, std::string message);
  Step ParseHead(std::string_view head);
  Step ReadChunked(std::string* input);

  ParseLimits limits_;
  Phase phase_ = Phase::kHead;
  HttpRequest request_;
  ParseError error_;
  bool started_ = false;
  size_t head_scanned_ = 0;  // bytes already searched for the end of the head
  uint64_t remaining_ = 0;   // Content-Length or chunk bytes still to read
  size_t trailer_bytes_ = 0;
  bool body_too_large_ = false;
};

}  // namespace saleslake::web
