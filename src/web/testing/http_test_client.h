// A small libcurl client for tests that talk to a real server on a real socket: raw bodies (no
// automatic decompression, so tests check gzip themselves), every response header, and whether
// the call reused a kept-alive connection.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace saleslake::web::testing {

struct HttpTestResponse {
  long status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;                                 // after de-chunking, before any decoding
  long new_connections = 0;                         // 0: a kept-alive connection was reused

  // The first value of header `name` (any case), or "" when absent.
  std::string Header(std::string_view name) const;
};

class HttpTestClient {
 public:
  HttpTestClient();  // one connection cache: consecutive calls to one server reuse a connection
  ~HttpTestClient();
  HttpTestClient(const HttpTestClient&) = delete;
  HttpTestClient& operator=(const HttpTestClient&) = delete;

  Result<HttpTestResponse> Get(const std::string& url,
                               const std::vector<std::string>& headers = {});
  // Any method; `body` is sent as is when non-empty.
  Result<HttpTestResponse> Send(const std::string& method, const std::string& url,
                                const std::vector<std::string>& headers = {},
                                const std::string& body = {});

  // Makes the client a slow reader: it sleeps this long after each piece it receives.
  void set_delay_per_piece(std::chrono::microseconds delay) { delay_ = delay; }
  // Body bytes received so far by the running call, for another thread to watch.
  void set_progress(std::atomic<uint64_t>* received) { progress_ = received; }
  // Makes the client hang up (the call fails) once it has received more than this.
  void set_max_body_bytes(uint64_t limit) { max_body_bytes_ = limit; }

 private:
  void* curl_;  // CURL*
  std::chrono::microseconds delay_{0};
  std::atomic<uint64_t>* progress_ = nullptr;
  uint64_t max_body_bytes_ = UINT64_MAX;
};

// Decompresses a gzip stream (RFC 1952), failing on anything but exactly one complete member.
Result<std::string> Gunzip(std::string_view data);

}  // namespace saleslake::web::testing
