// HTTP GET of an API response, streamed: the body goes to a sink chunk by chunk as it arrives, so
// extracting a response of any size holds only a bounded window in memory.
//
// Failures before any byte of a 200 body reached the sink — connection refused, timeouts, 5xx,
// 429 — are retried with exponential backoff and full jitter. A failure after body bytes were
// delivered cannot be retried transparently: `on_restart` is called, the consumer discards what
// it built, and the whole request is tried again (an extract builds nothing durable until the
// response ended cleanly, so a restart costs only time). Any other status is an error that quotes
// the start of the server's answer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::pipeline {

struct HttpFetchOptions {
  int64_t connect_timeout_ms = 10'000;
  int64_t stall_timeout_ms = 30'000;   // no byte for this long ends the attempt
  int64_t total_timeout_ms = 600'000;  // one attempt, end to end
  int max_attempts = 4;
  int64_t backoff_initial_ms = 200;
  int64_t backoff_max_ms = 5'000;
  bool verify_tls = true;
  bool accept_gzip = true;               // ask for a compressed answer (decoded on the fly)
  uint64_t max_body_bytes = 8ull << 30;  // a bigger body is refused (ResourceExhausted)
};

struct HttpFetchResult {
  uint64_t body_bytes = 0;  // bytes handed to the sink by the successful attempt
  int attempts = 0;
  std::string content_type;
};

// GETs `url` (gzip-compressed answers are decompressed) and streams the 200 body into `sink`.
// A sink error ends the fetch with that error, without retrying.
Result<HttpFetchResult> FetchStreaming(const std::string& url, const HttpFetchOptions& options,
                                       const std::function<Status(std::string_view)>& sink,
                                       const std::function<void()>& on_restart);

}  // namespace saleslake::pipeline
