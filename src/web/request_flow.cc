// The path of one request through HttpServer: routing, the handler, the response body (gzip,
// chunked streaming), error bodies for the library's own errors, and the access log + metrics.
#include <exception>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/logging.h"
#include "web/content_encoding.h"
#include "web/http_server_impl.h"

namespace saleslake::web {
namespace {

using HandlerResponse = httplib::Server::HandlerResponse;

// Bodies smaller than this go out uncompressed: gzip's header and trailer would eat the gain.
constexpr size_t kMinGzipBytes = 1024;

thread_local Exchange t_exchange;

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 404:
      return "not found";
    case 405:
      return "method not allowed";
    case 413:
      return "request body too large";
    case 414:
      return "request URI too long";
    case 416:
      return "bad Range header";
    case 503:
      return "server is shutting down";
    default:
      return status >= 500 ? "internal server error" : "request failed";
  }
}

bool IsCompressible(const std::string& content_type) {
  return content_type.starts_with("application/json") ||
         content_type.starts_with("application/x-ndjson") || content_type.starts_with("text/");
}

// cpp-httplib would compress a response on its own (picking brotli at its slowest quality when the
// client lists "br") and would cut bodies to a Range header. The core owns both decisions, so it
// hides these request fields from the library. The Request object is the library's own mutable
// local, handed to hooks as const.
void HideFromLibrary(const httplib::Request& req) {
  auto& mutable_req = const_cast<httplib::Request&>(req);
  mutable_req.headers.erase("Accept-Encoding");
  mutable_req.ranges.clear();
}

void SetNativeError(httplib::Response& res, int status, std::string_view message) {
  res.status = status;
  res.set_content(ErrorJson(message), "application/json");
}

}  // namespace

Exchange& CurrentExchange() { return t_exchange; }

void HttpServer::Impl::EndBeforeBody(Exchange& ex) {
  if (!ex.before_body) return;
  ex.before_body = false;
  exchanges_before_body.fetch_sub(1);
}

HandlerResponse HttpServer::Impl::PreRoute(const httplib::Request& req, httplib::Response& res) {
  Exchange& ex = CurrentExchange();
  ex = Exchange{};
  ex.active = true;
  ex.start_micros = MonotonicMicros();
  ex.gzip = AcceptsGzip(req.get_header_value("Accept-Encoding"));
  metrics.in_flight().Increment();
  HideFromLibrary(req);
  {
    std::lock_guard<std::mutex> lock(busy_mu);
    busy_ports.insert(req.remote_port);
    ex.remote_port = req.remote_port;
  }

  // Counted before `draining` is read; DrainThenStop sets `draining` before reading the count.
  // Both are sequentially consistent, so either the drain waits for this request or the request
  // sees the drain.
  ex.before_body = true;
  exchanges_before_body.fetch_add(1);
  if (draining.load()) {
    res.set_header("Connection", "close");
    SetNativeError(res, 503, ReasonPhrase(503));
    return HandlerResponse::Handled;
  }
  auto route = routes.find(req.path);
  if (route == routes.end()) {
    SetNativeError(res, 404, "no such path: " + req.path);
    return HandlerResponse::Handled;
  }
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  auto handler = route->second.find(method);
  if (handler == route->second.end()) {
    std::string allow;
    for (const auto& [m, h] : route->second) {
      allow += (allow.empty() ? "" : ", ") + m;
      if (m == "GET") allow += ", HEAD";
    }
    ex.route = &route->first;
    res.set_header("Allow", allow);
    SetNativeError(res, 405,
                   req.method + " is not allowed on " + req.path + " (allowed: " + allow + ")");
    return HandlerResponse::Handled;
  }
  ex.route = &route->first;
  ex.handler = &handler->second;
  // Unhandled: cpp-httplib now reads the body (bounded by the payload limit) and calls Dispatch.
  return HandlerResponse::Unhandled;
}

void HttpServer::Impl::Dispatch(const httplib::Request& req, httplib::Response& res) {
  Exchange& ex = CurrentExchange();
  if (ex.handler == nullptr) {
    SetNativeError(res, 500, "request reached no handler");
    return;
  }
  Response response;
  try {
    (*ex.handler)(Request(req), &response);
  } catch (const std::exception& e) {
    log::Error("http.handler_exception", {{"path", req.path}, {"what", e.what()}});
    response = Response();
    response.SetError(500, "internal error while answering " + req.path);
  } catch (...) {
    log::Error("http.handler_exception", {{"path", req.path}});
    response = Response();
    response.SetError(500, "internal error while answering " + req.path);
  }
  ApplyResponse(response, res);
}

void HttpServer::Impl::ApplyResponse(Response& response, httplib::Response& res) {
  Exchange& ex = CurrentExchange();
  for (const auto& [name, value] : response.headers()) res.set_header(name, value);
  const bool compressible = IsCompressible(response.content_type());
  if (compressible) res.set_header("Vary", "Accept-Encoding");
  res.status = response.status();
  if (response.producer()) {
    if (ex.gzip && compressible) {
      res.set_header("Content-Encoding", "gzip");
    } else {
      ex.gzip = false;
    }
    BodyProducer producer = response.producer();
    res.set_chunked_content_provider(response.content_type(),
                                     [this, producer](size_t /*offset*/, httplib::DataSink& sink) {
                                       return StreamBody(producer, sink);
                                     });
    return;
  }
  if (response.shared_plain()) {
    if (ex.gzip && response.shared_gzipped()) {
      res.set_header("Content-Encoding", "gzip");
      res.set_content(*response.shared_gzipped(), response.content_type());
    } else {
      res.set_content(*response.shared_plain(), response.content_type());
    }
    return;
  }
  std::string& body = response.body();
  if (ex.gzip && compressible && body.size() >= kMinGzipBytes) {
    std::string compressed;
    auto encoder = GzipEncoder::Create(options.gzip_level);
    if (encoder.ok() && (*encoder)->Update(body, &compressed).ok() &&
        (*encoder)->Finish(&compressed).ok()) {
      body.swap(compressed);
      res.set_header("Content-Encoding", "gzip");
    }
  }
  res.set_content(body, response.content_type());
}

// Runs once per streamed response: cpp-httplib calls the provider until it reports done, and this
// provider produces the whole body in its first call.
bool HttpServer::Impl::StreamBody(const BodyProducer& producer, httplib::DataSink& sink) {
  Exchange& ex = CurrentExchange();
  EndBeforeBody(ex);
  std::unique_ptr<GzipEncoder> encoder;
  if (ex.gzip) {
    auto created = GzipEncoder::Create(options.gzip_level);
    if (!created.ok()) {
      log::Error("http.gzip_failed", {{"status", created.status()}});
      ex.stream_failed = true;
      return false;
    }
    encoder = std::move(created).value();
  }
  std::string compressed;
  // A zero-length write would tell cpp-httplib the body is over, so empty pieces are skipped.
  auto send = [&](std::string_view bytes) {
    if (bytes.empty()) return true;
    if (!sink.write(bytes.data(), bytes.size())) return false;
    ex.streamed_bytes += bytes.size();
    return true;
  };
  BodyWriter write = [&](std::string_view piece) {
    if (!encoder) return send(piece);
    compressed.clear();
    return encoder->Update(piece, &compressed).ok() && send(compressed);
  };
  Status st = producer(write);
  if (st.ok() && encoder) {
    compressed.clear();
    st = encoder->Finish(&compressed);
    if (st.ok() && !send(compressed)) st = Status::Aborted("client closed the connection");
  }
  if (!st.ok()) {
    ex.stream_failed = true;
    // A client that hangs up mid-body is routine; anything else is worth a warning.
    if (st.code() == StatusCode::kAborted) {
      log::Info("http.stream_aborted", {{"route", ex.route ? *ex.route : ""}, {"status", st}});
    } else {
      log::Warn("http.stream_failed", {{"route", ex.route ? *ex.route : ""}, {"status", st}});
    }
    return false;  // the connection is closed without the final chunk: the client sees a cut body
  }
  sink.done();
  return true;
}

// Called for every response with status >= 400; fills a JSON body into errors cpp-httplib made
// itself (bad request line, body over the limit, URI too long) so that every error has one shape.
HandlerResponse HttpServer::Impl::FillLibraryError(const httplib::Request& req,
                                                   httplib::Response& res) {
  if (!res.body.empty() || res.content_provider_) return HandlerResponse::Unhandled;
  HideFromLibrary(req);
  std::string message = ReasonPhrase(res.status);
  if (res.status == 413) {
    message += " (limit " + std::to_string(options.max_request_body_bytes) + " bytes)";
  }
  res.set_content(ErrorJson(message), "application/json");
  return HandlerResponse::Handled;
}

void HttpServer::Impl::LogExchange(const httplib::Request& req, const httplib::Response& res) {
  Exchange& ex = CurrentExchange();
  const int64_t now = MonotonicMicros();
  const int64_t micros = ex.active ? now - ex.start_micros : 0;
  uint64_t bytes = 0;
  if (req.method != "HEAD") bytes = res.body.empty() ? ex.streamed_bytes : res.body.size();
  const std::string route = ex.route ? *ex.route : "unmatched";
  EndBeforeBody(ex);
  if (ex.remote_port >= 0) {
    std::lock_guard<std::mutex> lock(busy_mu);
    auto it = busy_ports.find(ex.remote_port);
    if (it != busy_ports.end()) busy_ports.erase(it);
  }
  if (ex.active) metrics.in_flight().Decrement();
  metrics.RecordRequest(req.method, route, res.status, bytes, static_cast<double>(micros) / 1e6);
  if (log::Enabled(log::Level::kInfo)) {
    size_t q = req.target.find('?');
    std::string_view query =
        q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1);
    log::Info("http.request", {{"method", req.method},
                               {"path", req.path},
                               {"query", query.substr(0, 512)},
                               {"status", res.status},
                               {"bytes", static_cast<unsigned long long>(bytes)},
                               {"ms", static_cast<double>(micros) / 1000.0},
                               {"route", route},
                               {"complete", !ex.stream_failed},
                               {"remote", req.remote_addr}});
  }
  ex = Exchange{};
}

}  // namespace saleslake::web
