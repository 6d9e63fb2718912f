#include "web/http_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "base/clock.h"
#include "base/logging.h"
#include "web/http_server_impl.h"
#include "web/idle_connections.h"

namespace saleslake::web {

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
  EndIdleKeepAliveWaits(bound_port, busy_ports);
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
