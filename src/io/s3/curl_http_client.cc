#include "io/s3/curl_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>

namespace saleslake::io::s3 {
namespace {

constexpr size_t kMaxIdleHandles = 16;

void GlobalInitOnce() {
  static const bool done = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)done;
}

struct Exchange {
  const HttpRequest* request;
  HttpResponse* response;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t n = size * count;
  if (ex->response->body.size() + n > ex->request->max_response_bytes) {
    ex->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  ex->response->body.append(data, n);
  return n;
}

std::string_view TrimLine(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' '))
    s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
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
  std::string name(TrimLine(line.substr(0, colon)));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  ex->response->headers.push_back({std::move(name), std::string(TrimLine(line.substr(colon + 1)))});
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

struct CurlHttpClient::Shared {
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

CurlHttpClient::CurlHttpClient(HttpClientOptions options)
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

CurlHttpClient::~CurlHttpClient() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
  curl_share_cleanup(shared_->share);
}

void* CurlHttpClient::AcquireHandle() {
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

void CurlHttpClient::ReleaseHandle(void* handle) {
  auto* curl = static_cast<CURL*>(handle);
  curl_easy_reset(curl);
  std::lock_guard lock(pool_mu_);
  if (idle_.size() < kMaxIdleHandles) {
    idle_.push_back(curl);
  } else {
    curl_easy_cleanup(curl);
  }
}

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request, TransportFailure* failure) {
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
  Exchange ex{&request, &response};

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
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 256L * 1024);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout_ms));
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
      return Status::IOError(where + ": TLS failed (" + detail +
                             "); for a test endpoint with a self-signed certificate use "
                             "--s3-no-verify-tls, or point AWS_CA_BUNDLE at its CA");
    default:
      return Status::IOError(where + ": " + detail);
  }
}

}  // namespace saleslake::io::s3
