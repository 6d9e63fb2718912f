// What a route handler sees: the request, and the response it fills in. The server core turns the
// response into bytes (status line, headers, gzip when the client accepts it, chunked streaming),
// so handlers never touch the wire.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "web/http_request.h"

namespace saleslake::web {

class HostPolicy;

class Request {
 public:
  // `hosts` (may be null: no origin is then this server's) tells which origins are ours.
  explicit Request(const HttpRequest& native, const HostPolicy* hosts = nullptr)
      : native_(native), hosts_(hosts) {}

  const std::string& method() const;  // "GET", "HEAD", ...
  const std::string& path() const;    // decoded, without the query
  const QueryParams& query() const;
  const std::string& body() const;
  const std::string& remote_address() const;
  // The value of header `name` (case-insensitive), or "" when absent.
  std::string Header(const std::string& name) const;
  // True when `origin` ("http://localhost:8000") is one of this server's own origins (its Host
  // names with its port; web/host_policy.h). "null" never is.
  bool IsOwnOrigin(std::string_view origin) const;

 private:
  const HttpRequest& native_;
  const HostPolicy* hosts_;
};

// Writes one piece of a streamed body; returns false when the client went away (stop producing).
using BodyWriter = std::function<bool(std::string_view piece)>;
// Produces a streamed body through `write`. It runs after the status line and headers are sent, so
// a failure can only cut the body short: the client sees an incomplete chunked response.
using BodyProducer = std::function<Status(const BodyWriter& write)>;

class Response {
 public:
  // A complete body held in memory (small responses: errors, documents, metrics).
  void SetBody(int status, std::string content_type, std::string body);
  void SetJson(int status, std::string json) {
    SetBody(status, "application/json", std::move(json));
  }
  // A constant body kept by the caller in two forms: `gzipped` (may be null) goes to clients that
  // accept gzip, `plain` to the others. For large bodies served often (static assets).
  void SetSharedBody(int status, std::string content_type, std::shared_ptr<const std::string> plain,
                     std::shared_ptr<const std::string> gzipped);
  // A body produced while it is sent, in chunked transfer encoding: memory stays bounded by the
  // producer's pieces whatever the size of the whole.
  void SetStream(int status, std::string content_type, BodyProducer producer);
  // {"error":{"parameter":"records","message":"..."}}; the parameter is left out when empty.
  void SetError(int status, std::string_view message, std::string_view parameter = {});
  void AddHeader(std::string name, std::string value);

  int status() const { return status_; }
  const std::string& content_type() const { return content_type_; }
  std::string& body() { return body_; }
  const BodyProducer& producer() const { return producer_; }
  const std::shared_ptr<const std::string>& shared_plain() const { return shared_plain_; }
  const std::shared_ptr<const std::string>& shared_gzipped() const { return shared_gzipped_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  int status_ = 500;
  std::string content_type_ = "application/json";
  std::string body_;
  BodyProducer producer_;
  std::shared_ptr<const std::string> shared_plain_, shared_gzipped_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

// The error document used by every endpoint (and by the core for 404, 405, 413, ...).
std::string ErrorJson(std::string_view message, std::string_view parameter = {});

}  // namespace saleslake::web
