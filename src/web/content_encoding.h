// Response compression: deciding from Accept-Encoding whether a client takes gzip, and a streaming
// gzip encoder (zlib) that a chunked response feeds piece by piece.
//
// The server core negotiates Content-Encoding itself instead of letting the HTTP library do it:
// the library would pick brotli at its slowest quality for any client that lists "br", which turns
// a large generated response into minutes of CPU. gzip at a fast level keeps up with the generator.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::web {

// True when `accept_encoding` (an Accept-Encoding header value) accepts gzip: a "gzip", "x-gzip"
// or "*" coding whose q-value is not zero. Malformed parts are ignored.
bool AcceptsGzip(std::string_view accept_encoding);

// Compresses a stream into the gzip format (RFC 1952), one piece at a time.
class GzipEncoder {
 public:
  // `level`: zlib's 1 (fastest) .. 9 (smallest).
  static Result<std::unique_ptr<GzipEncoder>> Create(int level);
  ~GzipEncoder();
  GzipEncoder(const GzipEncoder&) = delete;
  GzipEncoder& operator=(const GzipEncoder&) = delete;

  // Appends the compressed form of `input` to `out` (possibly nothing: zlib buffers).
  Status Update(std::string_view input, std::string* out);
  // Flushes everything buffered plus the gzip trailer. Call once, last.
  Status Finish(std::string* out);

 private:
  struct State;
  explicit GzipEncoder(std::unique_ptr<State> state);
  Status Run(std::string_view input, bool finish, std::string* out);
  std::unique_ptr<State> state_;
};

}  // namespace saleslake::web
