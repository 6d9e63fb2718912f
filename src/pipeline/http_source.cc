#include "pipeline/http_source.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "base/logging.h"

namespace saleslake::pipeline {
namespace {

struct Attempt {
  CURL* curl = nullptr;
  const HttpFetchOptions* options = nullptr;
  const std::function<Status(std::string_view)>* sink = nullptr;
  long status = 0;
  uint64_t delivered = 0;  // body bytes given to the sink
  std::string error_body;  // the start of a non-200 answer
  Status sink_status;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* a = static_cast<Attempt*>(user);
  const size_t n = size * count;
  if (a->status == 0) curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &a->status);
  if (a->status != 200) {
    if (a->error_body.size() < 512) a->error_body.append(data, std::min<size_t>(n, 512));
    return n;
  }
  if (a->delivered + n > a->options->max_body_bytes) {
    a->too_large = true;
    return 0;  // aborts the transfer
  }
  a->sink_status = (*a->sink)(std::string_view(data, n));
  if (!a->sink_status.ok()) return 0;
  a->delivered += n;
  return n;
}

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
  static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!curl_ready) return Status::Internal("libcurl failed to initialise");
  std::mt19937_64 rng(std::random_device{}());
  int64_t backoff = options.backoff_initial_ms;
  Status last;
  for (int attempt = 1; attempt <= std::max(1, options.max_attempts); ++attempt) {
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return Status::Internal("libcurl could not create a handle");
    Attempt a;
    a.curl = curl;
    a.options = &options;
    a.sink = &sink;
    char errbuf[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    if (options.accept_gzip) curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                     std::max(1L, static_cast<long>(options.stall_timeout_ms / 1000)));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "saleslake-extract");
    CURLcode rc = curl_easy_perform(curl);
    if (a.status == 0) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a.status);
    char* content_type = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &content_type);
    std::string ctype = content_type ? content_type : "";
    curl_easy_cleanup(curl);

    if (!a.sink_status.ok()) return a.sink_status;
    if (a.too_large) {
      return Status::ResourceExhausted(fmt::format(
          "GET {}: the response is larger than {} bytes; ask for fewer records per batch", url,
          options.max_body_bytes));
    }
    if (rc == CURLE_OK && a.status == 200) {
      return HttpFetchResult{a.delivered, attempt, ctype};
    }
    bool retry;
    if (rc != CURLE_OK) {
      std::string msg = fmt::format("GET {}: {}", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
      if (a.delivered > 0) msg += fmt::format(" after {} bytes of the body", a.delivered);
      last =
          Status(rc == CURLE_OPERATION_TIMEDOUT ? StatusCode::kTimeout : StatusCode::kUnavailable,
                 std::move(msg));
      retry = rc != CURLE_SSL_CACERT && rc != CURLE_PEER_FAILED_VERIFICATION &&
              rc != CURLE_UNSUPPORTED_PROTOCOL && rc != CURLE_URL_MALFORMAT;
    } else {
      retry = Retryable(a.status);
      last = Status(retry ? StatusCode::kUnavailable : StatusCode::kInvalidArgument,
                    fmt::format("GET {}: the server answered HTTP {}: {}", url, a.status,
                                Printable(a.error_body)));
    }
    if (!retry || attempt == options.max_attempts) break;
    if (a.delivered > 0 && on_restart) on_restart();
    const int64_t sleep_ms = std::uniform_int_distribution<int64_t>(0, backoff)(rng);
    log::Warn("extract.retry",
              {{"url", url}, {"attempt", attempt}, {"error", last}, {"sleep_ms", sleep_ms}});
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    backoff = std::min(backoff * 2, options.backoff_max_ms);
  }
  return last;
}

}  // namespace saleslake::pipeline
