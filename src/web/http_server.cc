#include "web/http_server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/logging.h"
#include "web/http_server_impl.h"

namespace saleslake::web {
namespace {

// Binds and listens on `address` (port 0: a free port). Returns the socket, or -1 with errno set.
int BindListener(const ListenAddress& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found) != 0) {
    errno = 0;
    return -1;
  }
  int fd = -1;
  int saved = 0;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    // SO_REUSEADDR only: SO_REUSEPORT would let a second server silently share a taken port.
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) break;
    saved = errno;
    ::close(fd);
    fd = -1;
    errno = saved;
  }
  freeaddrinfo(found);
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage local{};
  socklen_t len = sizeof(local);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return -1;
  if (local.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
}

}  // namespace

HttpServer::Impl::Impl(ServerOptions opts) : options(std::move(opts)) {
  limits.max_body_bytes = options.max_request_body_bytes;
  epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  Route("GET", "/healthz",
        [](const Request&, Response* res) { res->SetJson(200, R"({"status":"ok"})"); });
  Route("GET", "/metrics", [this](const Request&, Response* res) {
    res->SetBody(200, std::string(ServerMetrics::kContentType), impl_->metrics.Render());
  });
}

HttpServer::~HttpServer() {
  if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
  if (impl_->epoll_fd >= 0) ::close(impl_->epoll_fd);
  if (impl_->wake_fd >= 0) ::close(impl_->wake_fd);
}

void HttpServer::Route(const std::string& method, const std::string& path, Handler handler) {
  impl_->routes[path][method] = std::move(handler);
}

ServerMetrics& HttpServer::metrics() { return impl_->metrics; }

Status HttpServer::Listen() {
  const ListenAddress& address = impl_->options.listen;
  if (impl_->epoll_fd < 0 || impl_->wake_fd < 0) {
    return Status::Unavailable("cannot create the HTTP server's event queue: " +
                               std::string(std::strerror(errno)));
  }
  for (const std::string& allowed : impl_->options.allowed_hosts) {
    SL_RETURN_IF_ERROR(HostPolicy::ValidateAllowedHost(allowed));
  }
  errno = 0;
  const int fd = BindListener(address);
  if (fd < 0) {
    std::string why = errno != 0 ? std::strerror(errno) : "the address does not resolve";
    return Status::Unavailable("cannot listen on " + address.ToString() + ": " + why +
                               " (is another server using it? choose another --listen)");
  }
  impl_->listen_fd = fd;
  impl_->bound_port = BoundPort(fd);
  impl_->hosts = HostPolicy(address.host, impl_->bound_port, impl_->options.allowed_hosts);
  return Status::OK();
}

int HttpServer::port() const { return impl_->bound_port; }

std::string HttpServer::url() const {
  ListenAddress bound = impl_->options.listen;
  bound.port = impl_->bound_port;
  return "http://" + bound.ToString();
}

const HostPolicy& HttpServer::host_policy() const { return impl_->hosts; }

Status HttpServer::Run() {
  if (impl_->bound_port < 0) return Status::Internal("HttpServer::Run before a successful Listen");
  const int threads = std::max(1, impl_->options.worker_threads);
  for (int i = 0; i < threads; ++i) {
    impl_->workers.emplace_back([this] { impl_->WorkerMain(); });
  }
  log::Info(
      "http.listening",
      {{"url", url()}, {"workers", threads}, {"max_connections", impl_->options.max_connections}});
  Status st = impl_->RunLoop();
  {
    std::lock_guard<std::mutex> lock(impl_->work_mu);
    impl_->workers_stop = true;
  }
  impl_->work_cv.notify_all();
  for (std::thread& t : impl_->workers) t.join();
  impl_->workers.clear();
  // Whatever is left (a loop that failed) is closed.
  for (auto& [fd, c] : impl_->loop_connections) impl_->Close(c.get());
  impl_->loop_connections.clear();
  for (auto& c : impl_->returned) impl_->Close(c.get());
  impl_->returned.clear();
  if (!st.ok()) return st;
  log::Info("http.stopped", {{"url", url()}});
  return Status::OK();
}

void HttpServer::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(impl_->run_mu);
    impl_->shutdown_requested = true;
  }
  impl_->Wake();
}

}  // namespace saleslake::web
