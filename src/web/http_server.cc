#include "web/http_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "base/clock.h"
#include "base/logging.h"
#include "web/content_encoding.h"

namespace saleslake::web {
namespace {

using HandlerResponse = httplib::Server::HandlerResponse;

// Bodies smaller than this go out uncompressed: gzip's header and trailer would eat the gain.
constexpr size_t kMinGzipBytes = 1024;

// The state of the exchange a worker thread is serving. cpp-httplib runs the routing hook, the
// handler, the body's content provider and the logger of one request on one worker thread, in that
// order, and hands only the request and response between them; this carries the rest.
struct Exchange {
  bool active = false;       // the routing hook saw this request
  bool before_body = false;  // counted in Impl::exchanges_before_body
  bool gzip = false;         // the client accepts gzip
  bool stream_failed = false;
  int remote_port = -1;  // in Impl::busy_ports while >= 0
  int64_t start_micros = 0;
  const std::string* route = nullptr;  // key of the matched route (stable: routes are frozen)
  const HttpServer::Handler* handler = nullptr;
  uint64_t streamed_bytes = 0;
};
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

// Ends the keep-alive waits of idle connections accepted on `port`. After stop(), cpp-httplib
// leaves a worker waiting on an idle kept-alive connection until its keep-alive timeout; shutting
// down the read side wakes it to find end-of-file. The library does not expose its connection
// sockets, so they are found among the process's open descriptors: connected stream sockets whose
// local port is the server's. Connections answering a request (their peer port is in `busy`) are
// left alone: the library treats a socket that reads end-of-file as dead and would cut the
// response.
void EndKeepAliveWaits(int port, const std::multiset<int>& busy) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;  // no /proc: idle connections end at their keep-alive timeout
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    const int fd = std::atoi(entry->d_name);
    int type = 0;
    socklen_t type_len = sizeof(type);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_len) != 0 || type != SOCK_STREAM) {
      continue;
    }
    sockaddr_storage local{};
    socklen_t local_len = sizeof(local);
    sockaddr_storage peer{};
    socklen_t peer_len = sizeof(peer);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0 ||
        local.ss_family != peer.ss_family) {
      continue;
    }
    int local_port = -1;
    int peer_port = -1;
    if (local.ss_family == AF_INET) {
      local_port = ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
      peer_port = ntohs(reinterpret_cast<sockaddr_in*>(&peer)->sin_port);
    } else if (local.ss_family == AF_INET6) {
      local_port = ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
      peer_port = ntohs(reinterpret_cast<sockaddr_in6*>(&peer)->sin6_port);
    }
    if (local_port != port || busy.count(peer_port) > 0) continue;
    ::shutdown(fd, SHUT_RD);
  }
  closedir(dir);
}

}  // namespace

struct HttpServer::Impl {
  explicit Impl(ServerOptions opts) : options(std::move(opts)) {}

  ServerOptions options;
  httplib::Server server;
  ServerMetrics metrics;
  // path -> method -> handler. Frozen once Listen() starts, so workers read it without a lock.
  std::map<std::string, std::map<std::string, Handler>> routes;
  int listen_fd = -1;
  int bound_port = -1;

  std::atomic<bool> draining{false};
  // Accepted requests whose response body has not started. cpp-httplib abandons a chunked body
  // that would start after stop(), so the drain waits for these before stopping the library.
  std::atomic<int> exchanges_before_body{0};
  // Peer ports of connections between PreRoute and the end of their response.
  std::mutex busy_mu;
  std::multiset<int> busy_ports;

  std::mutex run_mu;
  std::condition_variable run_cv;
  bool shutdown_requested = false;
  bool run_finished = false;

  HandlerResponse PreRoute(const httplib::Request& req, httplib::Response& res);
  void Dispatch(const httplib::Request& req, httplib::Response& res);
  void ApplyResponse(Response& response, httplib::Response& res);
  bool StreamBody(const BodyProducer& producer, httplib::DataSink& sink);
  HandlerResponse FillLibraryError(const httplib::Request& req, httplib::Response& res);
  void LogExchange(const httplib::Request& req, const httplib::Response& res);
  void EndBeforeBody(Exchange& ex);
  void DrainThenStop();
  void Configure();
};

void HttpServer::Impl::EndBeforeBody(Exchange& ex) {
  if (!ex.before_body) return;
  ex.before_body = false;
  exchanges_before_body.fetch_sub(1);
}

void SetNativeError(httplib::Response& res, int status, std::string_view message) {
  res.status = status;
  res.set_content(ErrorJson(message), "application/json");
}

HandlerResponse HttpServer::Impl::PreRoute(const httplib::Request& req, httplib::Response& res) {
  Exchange& ex = t_exchange;
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
  Exchange& ex = t_exchange;
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
  Exchange& ex = t_exchange;
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
  Exchange& ex = t_exchange;
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
  Exchange& ex = t_exchange;
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
  t_exchange = Exchange{};
}

void HttpServer::Impl::Configure() {
  const int threads = std::max(1, options.worker_threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(
      static_cast<size_t>(std::max(1, options.keep_alive_max_requests)));
  server.set_keep_alive_timeout(options.keep_alive_seconds);
  server.set_read_timeout(options.read_timeout_seconds, 0);
  server.set_write_timeout(options.write_timeout_seconds, 0);
  server.set_payload_max_length(options.max_request_body_bytes);
  // SO_REUSEADDR only: the library's default SO_REUSEPORT would let a second server silently share
  // a port that is already taken.
  // TCP_NODELAY on the listener is inherited by accepted connections: the library writes headers
  // and body separately, and Nagle's algorithm would hold the second write until the client's
  // delayed ACK (tens of milliseconds on every small response).
  server.set_socket_options([this](socket_t fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    listen_fd = fd;
  });
  server.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return PreRoute(req, res); });
  auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
    Dispatch(req, res);
  };
  // Routing is decided in PreRoute; these catch-alls only run the handler it chose, after the
  // library has read the request body.
  server.Get(".*", dispatch);
  server.Post(".*", dispatch);
  server.Put(".*", dispatch);
  server.Delete(".*", dispatch);
  server.Patch(".*", dispatch);
  server.Options(".*", dispatch);
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        return FillLibraryError(req, res);
      }));
  server.set_logger(
      [this](const httplib::Request& req, const httplib::Response& res) { LogExchange(req, res); });
}

void HttpServer::Impl::DrainThenStop() {
  draining.store(true);
  log::Info("http.draining", {{"waiting", exchanges_before_body.load()}});
  const int64_t deadline = MonotonicMicros() + int64_t{options.shutdown_grace_seconds} * 1'000'000;
  while (exchanges_before_body.load() > 0 && MonotonicMicros() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // stop() acts only once the accept loop runs; Run() may still be on its way there.
  while (!server.is_running()) {
    {
      std::lock_guard<std::mutex> lock(run_mu);
      if (run_finished) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server.stop();
  std::lock_guard<std::mutex> lock(busy_mu);
  EndKeepAliveWaits(bound_port, busy_ports);
}

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->Configure();
  Route("GET", "/healthz",
        [](const Request&, Response* res) { res->SetJson(200, R"({"status":"ok"})"); });
  Route("GET", "/metrics", [this](const Request&, Response* res) {
    res->SetBody(200, std::string(ServerMetrics::kContentType), impl_->metrics.Render());
  });
}

HttpServer::~HttpServer() = default;

void HttpServer::Route(const std::string& method, const std::string& path, Handler handler) {
  impl_->routes[path][method] = std::move(handler);
}

ServerMetrics& HttpServer::metrics() { return impl_->metrics; }

Status HttpServer::Listen() {
  const ListenAddress& address = impl_->options.listen;
  errno = 0;
  int port = -1;
  if (address.port == 0) {
    port = impl_->server.bind_to_any_port(address.host);
  } else if (impl_->server.bind_to_port(address.host, address.port)) {
    port = address.port;
  }
  if (port <= 0) {
    std::string why = errno != 0 ? std::strerror(errno) : "the address does not resolve";
    return Status::Unavailable("cannot listen on " + address.ToString() + ": " + why +
                               " (is another server using it? choose another --listen)");
  }
  // The library listens with a backlog of 5; a burst of clients connecting together (wrk, a
  // browser) would then wait for SYN retransmits. Calling listen() again only resizes the queue.
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
  impl_->bound_port = port;
  return Status::OK();
}

int HttpServer::port() const { return impl_->bound_port; }

std::string HttpServer::url() const {
  ListenAddress bound = impl_->options.listen;
  bound.port = impl_->bound_port;
  return "http://" + bound.ToString();
}

Status HttpServer::Run() {
  if (impl_->bound_port < 0) return Status::Internal("HttpServer::Run before a successful Listen");
  std::thread stopper([this] {
    std::unique_lock<std::mutex> lock(impl_->run_mu);
    impl_->run_cv.wait(lock, [this] { return impl_->shutdown_requested || impl_->run_finished; });
    if (impl_->run_finished) return;
    lock.unlock();
    impl_->DrainThenStop();
  });
  log::Info("http.listening", {{"url", url()}, {"workers", impl_->options.worker_threads}});
  // Returns after stop(): the worker pool is joined only when every queued connection is served.
  bool clean = impl_->server.listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(impl_->run_mu);
    impl_->run_finished = true;
  }
  impl_->run_cv.notify_all();
  stopper.join();
  bool requested;
  {
    std::lock_guard<std::mutex> lock(impl_->run_mu);
    requested = impl_->shutdown_requested;
  }
  if (!clean && !requested) return Status::IOError("the HTTP server stopped accepting connections");
  log::Info("http.stopped", {{"url", url()}});
  return Status::OK();
}

void HttpServer::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(impl_->run_mu);
    impl_->shutdown_requested = true;
  }
  impl_->run_cv.notify_all();
}

}  // namespace saleslake::web
