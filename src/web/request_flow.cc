// The path of one request through HttpServer: the decision taken when its head is complete (Host,
// route, method, body), then on a worker the handler, the response bytes (gzip, chunked
// streaming), and the access log + metrics.
#include <sys/socket.h>
#include <unistd.h>

#include <exception>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/logging.h"
#include "web/access_log.h"
#include "web/content_encoding.h"
#include "web/http_server_impl.h"
#include "web/socket_writer.h"

namespace saleslake::web {
namespace {

// Bodies smaller than this go out uncompressed: gzip's header and trailer would eat the gain.
constexpr size_t kMinGzipBytes = 1024;

const char* StatusText(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return status < 400 ? "OK" : status < 500 ? "Bad Request" : "Internal Server Error";
  }
}

bool IsCompressible(const std::string& content_type) {
  return content_type.starts_with("application/json") ||
         content_type.starts_with("application/x-ndjson") || content_type.starts_with("text/");
}

bool MayCarryBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

// A header a handler set goes out only if it cannot split the response.
bool IsSafeHeader(const std::string& name, const std::string& value) {
  for (unsigned char c : name + value) {
    if (c < 0x20 && c != '\t') return false;
  }
  return !name.empty();
}

}  // namespace

void HttpServer::Impl::DecideHead(Connection* c) {
  const HttpRequest& req = c->parser.request();
  auto refuse = [c](int status, std::string message) {
    c->refuse_status = status;
    c->refuse_message = std::move(message);
  };
  if (req.has_authority && !hosts.AllowsHost(req.authority)) {
    std::string shown = req.authority.substr(0, 100);
    const size_t colon = shown.rfind(':');
    const std::string name =
        shown.starts_with('[') || colon == std::string::npos ? shown : shown.substr(0, colon);
    return refuse(421, "Host '" + shown +
                           "' does not name this server; to serve that name, start the "
                           "server with --allowed-host " +
                           name);
  }
  if (draining.load()) {
    c->close_after = true;
    return refuse(503, "server is shutting down");
  }
  auto route = routes.find(req.path);
  if (route == routes.end()) return refuse(404, "no such path: " + req.path);
  c->route = &route->first;
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  auto handler = route->second.find(method);
  if (handler == route->second.end()) {
    for (const auto& [m, h] : route->second) {
      c->allow += (c->allow.empty() ? "" : ", ") + m;
      if (m == "GET") c->allow += ", HEAD";
    }
    return refuse(405,
                  req.method + " is not allowed on " + req.path + " (allowed: " + c->allow + ")");
  }
  if (c->parser.body_pending() && !MayCarryBody(req.method)) {
    return refuse(413, req.method + " " + req.path + " takes no request body");
  }
  if (c->parser.body_too_large()) {
    return refuse(413, "request body too large (limit " +
                           std::to_string(options.max_request_body_bytes) + " bytes)");
  }
  c->handler = &handler->second;
}

bool HttpServer::Impl::Serve(Connection* c) {
  HttpRequest& req = c->parser.request();
  req.remote_addr = c->remote_addr;
  req.remote_port = c->remote_port;
  metrics.in_flight().Increment();
  const bool head_only = req.method == "HEAD";
  bool gzip = AcceptsGzip(req.Header("Accept-Encoding"));

  Response response;
  if (c->refuse_status != 0) {
    response.SetError(c->refuse_status, c->refuse_message);
    if (!c->allow.empty()) response.AddHeader("Allow", c->allow);
    if (c->refuse_status == 503) response.AddHeader("Retry-After", "1");
  } else {
    try {
      (*c->handler)(Request(req, &hosts), &response);
    } catch (const std::exception& e) {
      log::Error("http.handler_exception", {{"path", req.path}, {"what", e.what()}});
      response = Response();
      response.SetError(500, "internal error while answering " + req.path);
    } catch (...) {
      log::Error("http.handler_exception", {{"path", req.path}});
      response = Response();
      response.SetError(500, "internal error while answering " + req.path);
    }
  }
  ++c->requests_served;
  bool keep = req.keep_alive && !c->close_after && !draining.load() &&
              c->requests_served < options.keep_alive_max_requests;

  std::string head = "HTTP/1.1 " + std::to_string(response.status()) + " " +
                     StatusText(response.status()) + "\r\n";
  for (const auto& [name, value] : response.headers()) {
    if (IsSafeHeader(name, value)) head += name + ": " + value + "\r\n";
  }
  head += "Content-Type: " + response.content_type() + "\r\n";
  const bool compressible = IsCompressible(response.content_type());
  if (compressible) head += "Vary: Accept-Encoding\r\n";

  std::string_view body;
  std::string compressed;
  const bool streaming = static_cast<bool>(response.producer());
  const bool chunked = streaming && req.minor_version == 1;
  if (streaming) {
    gzip = gzip && compressible;
    if (gzip) head += "Content-Encoding: gzip\r\n";
    // HTTP/1.0 has no chunked coding: the body ends where the connection does.
    if (chunked) {
      head += "Transfer-Encoding: chunked\r\n";
    } else if (!head_only) {
      keep = false;
    }
  } else {
    if (response.shared_plain()) {
      if (gzip && response.shared_gzipped()) {
        head += "Content-Encoding: gzip\r\n";
        body = *response.shared_gzipped();
      } else {
        body = *response.shared_plain();
      }
    } else {
      body = response.body();
      if (gzip && compressible && body.size() >= kMinGzipBytes) {
        auto encoder = GzipEncoder::Create(options.gzip_level);
        if (encoder.ok() && (*encoder)->Update(body, &compressed).ok() &&
            (*encoder)->Finish(&compressed).ok()) {
          body = compressed;
          head += "Content-Encoding: gzip\r\n";
        }
      }
    }
    head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  if (!keep) {
    head += "Connection: close\r\n";
  } else if (req.minor_version == 0) {
    head += "Connection: keep-alive\r\n";
  }
  head += "\r\n";

  const int timeout = options.write_timeout_seconds;
  uint64_t sent = 0;
  bool complete = true;
  if (head_only) {
    complete = WriteAll(c->fd, {head}, timeout);
    body = {};
  } else if (!streaming) {
    complete = WriteAll(c->fd, {head, body}, timeout);
    if (complete) sent = body.size();
  } else {
    complete = WriteAll(c->fd, {head}, timeout) &&
               StreamBody(c, response.producer(), gzip, chunked, &sent);
  }
  if (!complete) keep = false;

  const int64_t micros = MonotonicMicros() - c->start_micros;
  const std::string route = c->route ? *c->route : "unmatched";
  metrics.in_flight().Decrement();
  metrics.RecordRequest(req.method, route, response.status(), sent,
                        static_cast<double>(micros) / 1e6);
  LogAccess({.method = req.method,
             .path = req.path,
             .query = req.query,
             .route = route,
             .remote = req.remote_addr,
             .status = response.status(),
             .bytes = sent,
             .micros = micros,
             .complete = complete});
  return keep;
}

// Runs the producer, sending each piece as it comes (gzipped when asked, as chunks on HTTP/1.1).
bool HttpServer::Impl::StreamBody(Connection* c, const BodyProducer& producer, bool gzip,
                                  bool chunked, uint64_t* sent) {
  const int timeout = options.write_timeout_seconds;
  std::unique_ptr<GzipEncoder> encoder;
  if (gzip) {
    auto created = GzipEncoder::Create(options.gzip_level);
    if (!created.ok()) {
      log::Error("http.gzip_failed", {{"status", created.status()}});
      return false;
    }
    encoder = std::move(created).value();
  }
  std::string compressed;
  char size_line[24];
  auto send = [&](std::string_view bytes) {
    if (bytes.empty()) return true;  // an empty chunk would end the body
    bool ok;
    if (chunked) {
      const int n = std::snprintf(size_line, sizeof(size_line), "%zx\r\n", bytes.size());
      ok = WriteAll(c->fd, {std::string_view(size_line, static_cast<size_t>(n)), bytes, "\r\n"},
                    timeout);
    } else {
      ok = WriteAll(c->fd, {bytes}, timeout);
    }
    if (ok) *sent += bytes.size();
    return ok;
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
  if (st.ok() && chunked && !WriteAll(c->fd, {"0\r\n\r\n"}, timeout)) {
    st = Status::Aborted("client closed the connection");
  }
  if (!st.ok()) {
    const std::string route = c->route ? *c->route : "";
    // A client that hangs up mid-body is routine; anything else is worth a warning. Either way
    // the connection closes without the final chunk: the client sees a cut body.
    if (st.code() == StatusCode::kAborted) {
      log::Info("http.stream_aborted", {{"route", route}, {"status", st}});
    } else {
      log::Warn("http.stream_failed", {{"route", route}, {"status", st}});
    }
    return false;
  }
  return true;
}

void HttpServer::Impl::WorkerMain() {
  while (true) {
    std::unique_ptr<Connection> c;
    {
      std::unique_lock<std::mutex> lock(work_mu);
      work_cv.wait(lock, [this] { return workers_stop || !work.empty(); });
      if (work.empty()) return;
      c = std::move(work.front());
      work.pop_front();
    }
    const bool keep = Serve(c.get());
    Finish(std::move(c), keep);
  }
}

// Hands the connection back to the loop (kept alive, or to linger after an early refusal) or
// closes it. The hand-back comes before the worker counts itself idle, so that the drain never
// sees "no worker busy" while a connection is on its way back.
void HttpServer::Impl::Finish(std::unique_ptr<Connection> c, bool keep) {
  if (keep) {
    c->parser.Reset();
    c->route = nullptr;
    c->handler = nullptr;
    c->refuse_status = 0;
    c->refuse_message.clear();
    c->allow.clear();
    c->start_micros = 0;
  } else if (c->close_after) {
    ::shutdown(c->fd, SHUT_WR);
    c->lingering = true;
    keep = true;
  }
  if (keep) {
    std::lock_guard<std::mutex> lock(returned_mu);
    returned.push_back(std::move(c));
  } else {
    Close(c.get());
  }
  busy_workers.fetch_sub(1);
  Wake();
}

}  // namespace saleslake::web
