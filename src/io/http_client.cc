#include "io/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>

#include "base/strings.h"

namespace saleslake::io {
namespace {

constexpr size_t kMaxIdleHandles = 16;

void GlobalInitOnce() {
  static const bool done = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)done;
}

constexpr size_t kErrorBodyBytes = 512;

struct Exchange {
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  CURL* curl = nullptr;
  bool too_large = false;
  Status sink_status;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const size_t n = size * count;
  HttpResponse* r = ex->response;
  if (ex->request->sink) {
    if (r->status == 0) curl_easy_getinfo(ex->curl, CURLINFO_RESPONSE_CODE, &r->status);
    if (r->status < 200 || r->status >= 300) {
      // Only the start of an error answer is kept: enough to quote it.
      if (r->body.size() < kErrorBodyBytes) {
        r->body.append(data, std::min(n, kErrorBodyBytes - r->body.size()));
      }
      return n;
    }
    if (r->sink_bytes + n > ex->request->max_response_bytes) {
      ex->too_large = true;
      return 0;
    }
    ex->sink_status = ex->request->sink(std::string_view(data, n));
    if (!ex->sink_status.ok()) return 0;
    r->sink_bytes += n;
    return n;
  }
  if (r->body.size() + n > ex->request->max_response_bytes) {
    ex->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  r->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  if (line.substr(0, 5) == "HTTP/") {
    // A new status line (after "100 Continue" or a redirect): only the final headers count.
    ex->response->headers.clear();
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  ex->response->headers.push_back(
      {Lower(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1)))});
  return n;
}

TransportFailure Classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportFailure::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportFailure::kTimeout;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportFailure::kBroken;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return TransportFailure::kBadUrl;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return TransportFailure::kTls;
    default:
      return TransportFailure::kOther;
  }
}

// The scheme and authority of a URL, which is all an error message needs to say where.
std::string Origin(std::string_view url) {
  size_t start = url.find("://");
  size_t end = url.find('/', start == std::string_view::npos ? 0 : start + 3);
  return std::string(url.substr(0, end));
}

}  // namespace

struct HttpClient::Shared {
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Shared*>(user)->locks[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Shared*>(user)->locks[data].unlock();
  }
};

const std::string* HttpResponse::Header(std::string_view lower_name) const {
  for (const HttpHeader& h : headers) {
    if (h.name == lower_name) return &h.value;
  }
  return nullptr;
}

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), shared_(std::make_unique<Shared>()) {
  GlobalInitOnce();
  shared_->share = curl_share_init();
  curl_share_setopt(shared_->share, CURLSHOPT_LOCKFUNC, &Shared::Lock);
  curl_share_setopt(shared_->share, CURLSHOPT_UNLOCKFUNC, &Shared::Unlock);
  curl_share_setopt(shared_->share, CURLSHOPT_USERDATA, shared_.get());
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
}

HttpClient::~HttpClient() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
  curl_share_cleanup(shared_->share);
}

void* HttpClient::AcquireHandle() {
  {
    std::lock_guard lock(pool_mu_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  return curl_easy_init();
}

void HttpClient::ReleaseHandle(void* handle) {
  auto* curl = static_cast<CURL*>(handle);
  curl_easy_reset(curl);
  std::lock_guard lock(pool_mu_);
  if (idle_.size() < kMaxIdleHandles) {
    idle_.push_back(curl);
  } else {
    curl_easy_cleanup(curl);
  }
}

Result<HttpResponse> HttpClient::Send(const HttpRequest& request, TransportFailure* failure,
                                      HttpResponse* partial) {
  *failure = TransportFailure::kNone;
  CURL* curl = static_cast<CURL*>(AcquireHandle());
  if (curl == nullptr) {
    *failure = TransportFailure::kOther;
    return Status::Internal("libcurl could not create a handle");
  }
  HttpResponse response;
  if (request.expected_response_bytes > 0) {
    response.body.reserve(std::min(request.expected_response_bytes, request.max_response_bytes));
  }
  Exchange ex;
  ex.request = &request;
  ex.response = &response;
  ex.curl = curl;

  curl_slist* header_list = nullptr;
  for (const HttpHeader& h : request.headers) {
    std::string line = h.name + ": " + h.value;
    header_list = curl_slist_append(header_list, line.c_str());
  }
  // No "Expect: 100-continue" round trip, and no default Content-Type on bodies: what we send
  // is exactly what we signed.
  header_list = curl_slist_append(header_list, "Expect:");
  header_list = curl_slist_append(header_list, "Content-Type:");

  curl_easy_setopt(curl, CURLOPT_SHARE, shared_->share);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);  // keys are never normalised
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
  if (request.follow_redirects) curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  if (request.accept_compressed) curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  if (!request.user_agent.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERAGENT, request.user_agent.c_str());
  }
  if (request.stall_timeout_ms > 0) {
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                     std::max(1L, static_cast<long>(request.stall_timeout_ms / 1000)));
  }
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 256L * 1024);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
  curl_easy_setopt(
      curl, CURLOPT_TIMEOUT_MS,
      static_cast<long>(request.timeout_ms > 0 ? request.timeout_ms : options_.request_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_bundle.empty())
    curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_bundle.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &ex);
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);

  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    // PUT and POST bodies go straight from the caller's memory; DELETE has none.
    if (request.method != "DELETE" || !request.body.empty()) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data() ? request.body.data() : "");
    }
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, std::string(request.method).c_str());
  }

  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_slist_free_all(header_list);
  ReleaseHandle(curl);

  if (code == CURLE_OK) return response;
  if (partial != nullptr) {
    partial->status = response.status;
    partial->sink_bytes = response.sink_bytes;
  }
  if (!ex.sink_status.ok()) {
    *failure = TransportFailure::kSink;
    return ex.sink_status;
  }
  std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
  std::string where = request.method.empty()
                          ? Origin(request.url)
                          : std::string(request.method) + " " + Origin(request.url);
  if (ex.too_large) {
    *failure = TransportFailure::kTooLarge;
    return Status::ResourceExhausted(where + ": the response is larger than the " +
                                     std::to_string(request.max_response_bytes) +
                                     " bytes expected");
  }
  *failure = Classify(code);
  switch (*failure) {
    case TransportFailure::kConnect:
      return Status::Unavailable(where + ": cannot connect (" + detail + ")");
    case TransportFailure::kTimeout:
      return Status::Timeout(where + ": timed out (" + detail + ")");
    case TransportFailure::kBroken:
      return Status::IOError(where + ": the connection broke (" + detail + ")");
    case TransportFailure::kTls:
      return Status::IOError(where + ": TLS failed (" + detail + ")" +
                             (options_.tls_hint.empty() ? "" : "; " + options_.tls_hint));
    case TransportFailure::kBadUrl:
      return Status::InvalidArgument(where + ": " + detail);
    default:
      return Status::IOError(where + ": " + detail);
  }
}

}  // namespace saleslake::io
