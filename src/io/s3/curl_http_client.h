// One HTTP exchange over libcurl, with connection reuse.
//
// Easy handles are pooled and share one connection cache, DNS cache and TLS session cache, so
// consecutive requests to the same endpoint reuse a warm connection whichever thread sends them.
// The client knows nothing about S3: the S3 client signs requests, retries and reads errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "io/s3/sigv4.h"

namespace saleslake::io::s3 {

struct HttpRequest {
  std::string_view method;  // GET, HEAD, PUT, POST, DELETE
  std::string url;          // already encoded
  std::vector<HttpHeader> headers;
  std::string_view body;  // must outlive Send
  // A larger response body is refused (a server ignoring a Range, or a hostile one).
  size_t max_response_bytes = 64 << 20;
  size_t expected_response_bytes = 0;  // a hint to size the buffer once
};

struct HttpResponse {
  long status = 0;
  std::vector<HttpHeader> headers;  // names lower-cased, in arrival order
  std::string body;

  // The value of the first header called `lower_name`, or nullptr.
  const std::string* Header(std::string_view lower_name) const;
};

struct HttpClientOptions {
  int64_t connect_timeout_ms = 10'000;
  int64_t request_timeout_ms = 300'000;
  bool verify_tls = true;
  std::string ca_bundle;
};

// Why an exchange produced no response; decides whether to try again.
enum class TransportFailure {
  kNone,
  kConnect,   // refused, unreachable, DNS: nothing was sent
  kTimeout,   // connect or transfer deadline
  kBroken,    // reset or truncated mid-exchange
  kTls,       // certificate or handshake: retrying will not help
  kTooLarge,  // response over max_response_bytes
  kOther,
};

class CurlHttpClient {
 public:
  explicit CurlHttpClient(HttpClientOptions options);
  ~CurlHttpClient();
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  // Performs one exchange. Any HTTP status is a response; a failure to get one is a Status
  // (Unavailable, Timeout, IOError, ResourceExhausted) and `*failure` says which kind.
  Result<HttpResponse> Send(const HttpRequest& request, TransportFailure* failure);

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

}  // namespace saleslake::io::s3
