#include "web/testing/http_test_client.h"

#include <curl/curl.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <thread>

namespace saleslake::web::testing {
namespace {

struct Transfer {
  HttpTestResponse* response;
  std::chrono::microseconds delay;
  std::atomic<uint64_t>* progress;
  uint64_t max_body_bytes;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  t->response->body.append(data, size * count);
  if (t->progress != nullptr) t->progress->fetch_add(size * count);
  if (t->response->body.size() > t->max_body_bytes) return 0;  // libcurl aborts the transfer
  if (t->delay.count() > 0) std::this_thread::sleep_for(t->delay);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) t->response->headers.clear();  // a new response (after 100)
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    t->response->headers.emplace(std::move(name), std::string(value));
  }
  return size * count;
}

}  // namespace

std::string HttpTestResponse::Header(std::string_view name) const {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = headers.find(lower);
  return it == headers.end() ? std::string() : it->second;
}

HttpTestClient::HttpTestClient() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
}

HttpTestClient::~HttpTestClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

Result<HttpTestResponse> HttpTestClient::Get(const std::string& url,
                                             const std::vector<std::string>& headers) {
  return Send("GET", url, headers);
}

Result<HttpTestResponse> HttpTestClient::Send(const std::string& method, const std::string& url,
                                              const std::vector<std::string>& headers,
                                              const std::string& body) {
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return Status::Internal("curl_easy_init failed");
  HttpTestResponse response;
  Transfer transfer{&response, delay_, progress_, max_body_bytes_};
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_reset(curl);  // keeps the connection cache
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method != "GET" || !body.empty()) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (!body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    return Status::IOError(std::string(method) + " " + url + ": " + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &response.new_connections);
  return response;
}

Result<std::string> Gunzip(std::string_view data) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return Status::Internal("inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    size_t before = out.size();
    out.resize(before + 256 * 1024);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    zs.avail_out = 256 * 1024;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(before + 256 * 1024 - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  size_t left = zs.avail_in;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return Status::Corruption("gzip stream incomplete or corrupt");
  if (left != 0) return Status::Corruption("bytes after the end of the gzip stream");
  return out;
}

}  // namespace saleslake::web::testing
