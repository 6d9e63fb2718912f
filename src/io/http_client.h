// The one HTTP client of saleslake (libcurl): S3 requests and extract's API GETs both go through
// it.
//
// Easy handles are pooled and share one connection cache, DNS cache and TLS session cache, so
// consecutive requests to the same endpoint reuse a warm connection whichever thread sends them.
// The client knows nothing about S3 or APIs: callers sign requests, retry and read errors. A
// response body is either collected (HttpResponse::body) or, with HttpRequest::sink, streamed to
// the caller chunk by chunk as it arrives, so a body of any size holds only a bounded window.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace saleslake::io {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string_view method;  // GET, HEAD, PUT, POST, DELETE
  std::string url;          // already encoded
  std::vector<HttpHeader> headers;
  std::string_view body;  // must outlive Send
  // A larger response body is refused (a server ignoring a Range, or a hostile one).
  uint64_t max_response_bytes = 64 << 20;
  size_t expected_response_bytes = 0;  // a hint to size the buffer once
  // When set, the body of a 2xx answer goes here as it arrives instead of into
  // HttpResponse::body (which then keeps only the first 512 bytes of any other answer). A sink
  // error ends the exchange with that error.
  std::function<Status(std::string_view)> sink;
  bool follow_redirects = false;   // up to 5
  bool accept_compressed = false;  // ask for gzip/deflate and decode on the fly
  int64_t timeout_ms = 0;          // end to end; 0: the client's request_timeout_ms
  int64_t stall_timeout_ms = 0;    // no byte for this long ends the exchange; 0: no limit
  std::string user_agent;
};

struct HttpResponse {
  long status = 0;
  std::vector<HttpHeader> headers;  // names lower-cased, in arrival order
  std::string body;
  uint64_t sink_bytes = 0;  // bytes handed to HttpRequest::sink

  // The value of the first header called `lower_name`, or nullptr.
  const std::string* Header(std::string_view lower_name) const;
};

struct HttpClientOptions {
  int64_t connect_timeout_ms = 10'000;
  int64_t request_timeout_ms = 300'000;
  bool verify_tls = true;
  std::string ca_bundle;
  // Appended to a TLS failure's message: how this caller's user turns verification off.
  std::string tls_hint;
};

// Why an exchange produced no response; decides whether to try again.
enum class TransportFailure {
  kNone,
  kConnect,   // refused, unreachable, DNS: nothing was sent
  kTimeout,   // connect or transfer deadline, or a stalled transfer
  kBroken,    // reset or truncated mid-exchange
  kTls,       // certificate or handshake: retrying will not help
  kTooLarge,  // response over max_response_bytes
  kBadUrl,    // malformed URL or unsupported protocol: retrying will not help
  kSink,      // HttpRequest::sink refused a chunk; the status is the sink's
  kOther,
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Performs one exchange. Any HTTP status is a response; a failure to get one is a Status
  // (Unavailable, Timeout, IOError, ResourceExhausted, or the sink's) and `*failure` says which
  // kind. `*partial` (optional) receives what arrived before a failure (status, sink_bytes).
  Result<HttpResponse> Send(const HttpRequest& request, TransportFailure* failure,
                            HttpResponse* partial = nullptr);

  const HttpClientOptions& options() const { return options_; }

 private:
  struct Shared;
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  HttpClientOptions options_;
  std::unique_ptr<Shared> shared_;
  std::mutex pool_mu_;
  std::vector<void*> idle_;  // CURL* easy handles, kept for their warm state
};

}  // namespace saleslake::io
