#include "web/http_exchange.h"

#include "base/json_writer.h"
#include "web/host_policy.h"

namespace saleslake::web {

const std::string& Request::method() const { return native_.method; }
const std::string& Request::path() const { return native_.path; }
const QueryParams& Request::query() const { return native_.params; }
const std::string& Request::body() const { return native_.body; }
const std::string& Request::remote_address() const { return native_.remote_addr; }
std::string Request::Header(const std::string& name) const { return native_.Header(name); }
bool Request::IsOwnOrigin(std::string_view origin) const {
  return hosts_ != nullptr && hosts_->IsOwnOrigin(origin);
}

void Response::SetBody(int status, std::string content_type, std::string body) {
  status_ = status;
  content_type_ = std::move(content_type);
  body_ = std::move(body);
  producer_ = nullptr;
  shared_plain_ = nullptr;
  shared_gzipped_ = nullptr;
}

void Response::SetSharedBody(int status, std::string content_type,
                             std::shared_ptr<const std::string> plain,
                             std::shared_ptr<const std::string> gzipped) {
  status_ = status;
  content_type_ = std::move(content_type);
  body_.clear();
  producer_ = nullptr;
  shared_plain_ = std::move(plain);
  shared_gzipped_ = std::move(gzipped);
}

void Response::SetStream(int status, std::string content_type, BodyProducer producer) {
  status_ = status;
  content_type_ = std::move(content_type);
  body_.clear();
  producer_ = std::move(producer);
  shared_plain_ = nullptr;
  shared_gzipped_ = nullptr;
}

void Response::SetError(int status, std::string_view message, std::string_view parameter) {
  SetJson(status, ErrorJson(message, parameter));
}

void Response::AddHeader(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
}

std::string ErrorJson(std::string_view message, std::string_view parameter) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("error");
  w.BeginObject();
  if (!parameter.empty()) w.Field("parameter", parameter);
  w.Field("message", message);
  w.EndObject();
  w.EndObject();
  return out;
}

}  // namespace saleslake::web
