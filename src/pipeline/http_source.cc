#include "pipeline/http_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "base/logging.h"
#include "io/http_client.h"

namespace saleslake::pipeline {
namespace {

bool Retryable(long status) { return status == 429 || status >= 500; }

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 200)) out.push_back(c >= 0x20 && c < 0x7f ? c : ' ');
  return out;
}

}  // namespace

Result<HttpFetchResult> FetchStreaming(const std::string& url, const HttpFetchOptions& options,
                                       const std::function<Status(std::string_view)>& sink,
                                       const std::function<void()>& on_restart) {
  io::HttpClient client(io::HttpClientOptions{options.connect_timeout_ms, options.total_timeout_ms,
                                              options.verify_tls, "", ""});
  io::HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.sink = sink;
  request.max_response_bytes = options.max_body_bytes;
  request.follow_redirects = true;
  request.accept_compressed = options.accept_gzip;
  request.timeout_ms = options.total_timeout_ms;
  request.stall_timeout_ms = options.stall_timeout_ms;
  request.user_agent = "saleslake-extract";

  std::mt19937_64 rng(std::random_device{}());
  int64_t backoff = options.backoff_initial_ms;
  Status last;
  for (int attempt = 1; attempt <= std::max(1, options.max_attempts); ++attempt) {
    io::TransportFailure failure = io::TransportFailure::kNone;
    io::HttpResponse partial;
    Result<io::HttpResponse> sent = client.Send(request, &failure, &partial);
    uint64_t delivered = partial.sink_bytes;
    bool retry;
    if (sent.ok() && sent->status == 200) {
      const std::string* ctype = sent->Header("content-type");
      return HttpFetchResult{sent->sink_bytes, attempt, ctype ? *ctype : ""};
    }
    if (sent.ok()) {
      delivered = sent->sink_bytes;
      retry = Retryable(sent->status);
      last = Status(retry ? StatusCode::kUnavailable : StatusCode::kInvalidArgument,
                    fmt::format("GET {}: the server answered HTTP {}: {}", url, sent->status,
                                Printable(sent->body)));
    } else if (failure == io::TransportFailure::kSink) {
      return sent.status();
    } else if (failure == io::TransportFailure::kTooLarge) {
      return Status::ResourceExhausted(fmt::format(
          "GET {}: the response is larger than {} bytes; ask for fewer records per batch", url,
          options.max_body_bytes));
    } else {
      std::string msg = sent.status().message();
      if (delivered > 0) msg += fmt::format(" after {} bytes of the body", delivered);
      last = Status(failure == io::TransportFailure::kTimeout ? StatusCode::kTimeout
                                                              : StatusCode::kUnavailable,
                    std::move(msg));
      retry = failure != io::TransportFailure::kTls && failure != io::TransportFailure::kBadUrl;
    }
    if (!retry || attempt == options.max_attempts) break;
    if (delivered > 0 && on_restart) on_restart();
    const int64_t sleep_ms = std::uniform_int_distribution<int64_t>(0, backoff)(rng);
    log::Warn("extract.retry",
              {{"url", url}, {"attempt", attempt}, {"error", last}, {"sleep_ms", sleep_ms}});
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    backoff = std::min(backoff * 2, options.backoff_max_ms);
  }
  return last;
}

}  // namespace saleslake::pipeline
