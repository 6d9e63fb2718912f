// The server's front: one thread, one epoll set. It accepts connections (refusing those over the
// limit with 503), reads each request's head and body under deadlines and byte caps, answers
// timeouts with 408, and hands complete requests to the worker pool. Workers hand kept-alive
// connections back here, so a worker is busy only while a response is being made and sent.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/clock.h"
#include "base/logging.h"
#include "web/http_server_impl.h"

namespace saleslake::web {
namespace {

constexpr int64_t kMicros = 1'000'000;
constexpr size_t kReadBytes = 64 * 1024;
// An early refusal discards what the client still sends for at most this long / this much.
constexpr int64_t kLingerMicros = 2 * kMicros;
constexpr uint64_t kLingerBytes = 1 << 20;

// A small complete response written by the loop itself, without waiting: the socket's send buffer
// always has room for it on a fresh connection. Best effort: the connection closes right after.
void SendNow(int fd, int status, std::string_view reason, std::string_view message) {
  const std::string body = ErrorJson(message);
  std::string out =
      "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n";
  if (status == 503) out += "Retry-After: 1\r\n";
  out += "\r\n" + body;
  (void)::send(fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

std::string PeerAddress(const sockaddr_storage& peer, int* port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (peer.ss_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(&peer);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    *port = ntohs(in->sin_port);
  } else if (peer.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(&peer);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    *port = ntohs(in6->sin6_port);
  }
  return text;
}

}  // namespace

void HttpServer::Impl::Wake() {
  const uint64_t one = 1;
  (void)::write(wake_fd, &one, sizeof(one));
}

void HttpServer::Impl::CloseInLoop(int fd) {
  auto it = loop_connections.find(fd);
  if (it == loop_connections.end()) return;
  epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
  std::unique_ptr<Connection> c = std::move(it->second);
  loop_connections.erase(it);
  Close(c.get());
}

void HttpServer::Impl::Close(Connection* c) {
  if (c->fd >= 0) ::close(c->fd);
  c->fd = -1;
  open_connections.fetch_sub(1);
  metrics.open_connections().Decrement();
}

void HttpServer::Impl::Accept(int64_t now) {
  if (now < accept_paused_until) return;
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage peer{};
    socklen_t peer_len = sizeof(peer);
    const int fd = accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &peer_len,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: the listener stays readable, so accepting pauses rather than spins.
        log::Warn("http.accept_failed", {{"error", std::strerror(errno)}});
        accept_paused_until = now + kMicros / 10;
      }
      return;
    }
    if (open_connections.load() >= options.max_connections) {
      SendNow(fd, 503, "Service Unavailable",
              "too many connections (limit " + std::to_string(options.max_connections) +
                  "): try again shortly");
      // A request already received but unread would turn the close into a reset, which can
      // destroy the answer before the client reads it.
      char discard[16384];
      (void)::recv(fd, discard, sizeof(discard), MSG_DONTWAIT);
      ::shutdown(fd, SHUT_WR);
      ::close(fd);
      metrics.RecordDroppedConnection("limit");
      continue;
    }
    int yes = 1;
    // Headers and body go out in separate writes when streaming; Nagle's algorithm would hold the
    // second until the client's delayed ACK.
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    auto c = std::make_unique<Connection>(limits);
    c->fd = fd;
    c->remote_addr = PeerAddress(peer, &c->remote_port);
    c->deadline_micros = now + int64_t{options.keep_alive_seconds} * kMicros;
    open_connections.fetch_add(1);
    metrics.open_connections().Increment();
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      Close(c.get());
      continue;
    }
    loop_connections.emplace(fd, std::move(c));
  }
}

void HttpServer::Impl::ReadFrom(Connection* c, int64_t now) {
  const int fd = c->fd;
  char buf[kReadBytes];
  const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
  if (n <= 0) {
    CloseInLoop(fd);  // the client went away (mid-request or not): nobody to answer
    return;
  }
  if (c->lingering) {
    c->lingered_bytes += static_cast<uint64_t>(n);
    if (c->lingered_bytes > kLingerBytes) CloseInLoop(fd);
    return;
  }
  c->received.append(buf, static_cast<size_t>(n));
  auto it = loop_connections.find(fd);
  std::unique_ptr<Connection> owned = std::move(it->second);
  loop_connections.erase(it);
  Advance(std::move(owned), now);
}

// Parses what the connection has received. The connection stays in the loop while more bytes
// are needed and goes to a worker once there is something to answer.
void HttpServer::Impl::Advance(std::unique_ptr<Connection> c, int64_t now) {
  const int fd = c->fd;
  while (true) {
    const bool was_started = c->parser.started();
    const RequestParser::Step step = c->parser.Advance(&c->received);
    if (!was_started && c->parser.started()) {
      c->deadline_micros = now + int64_t{options.read_timeout_seconds} * kMicros;
    }
    if (step == RequestParser::Step::kNeedMore) {
      loop_connections.emplace(fd, std::move(c));
      return;
    }
    if (step == RequestParser::Step::kHead) {
      c->start_micros = MonotonicMicros();
      DecideHead(c.get());
      if (c->refuse_status == 0 && c->parser.body_pending()) {
        c->deadline_micros = now + int64_t{options.body_timeout_seconds} * kMicros;
        if (c->parser.request().expects_continue) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          (void)::send(fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        }
        continue;
      }
      // Refused at the head: its body (if any) is never read, so the connection cannot carry
      // another request.
      if (c->parser.body_pending()) c->close_after = true;
    } else if (step == RequestParser::Step::kFailed) {
      c->refuse_status = c->parser.error().status;
      c->refuse_message = c->parser.error().message;
      c->close_after = true;
      if (c->start_micros == 0) c->start_micros = MonotonicMicros();
    }
    // kDone, or an answer decided early: off to a worker.
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
    busy_workers.fetch_add(1);
    {
      std::lock_guard<std::mutex> lock(work_mu);
      work.push_back(std::move(c));
    }
    work_cv.notify_one();
    return;
  }
}

void HttpServer::Impl::TakeReturned(int64_t now) {
  std::vector<std::unique_ptr<Connection>> batch;
  {
    std::lock_guard<std::mutex> lock(returned_mu);
    batch.swap(returned);
  }
  for (std::unique_ptr<Connection>& c : batch) {
    const int fd = c->fd;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      Close(c.get());
      continue;
    }
    if (c->lingering) {
      c->deadline_micros = now + kLingerMicros;
      loop_connections.emplace(fd, std::move(c));
      continue;
    }
    c->deadline_micros = now + int64_t{options.keep_alive_seconds} * kMicros;
    if (draining.load() && c->received.empty()) {
      loop_connections.emplace(fd, std::move(c));
      CloseInLoop(fd);
      continue;
    }
    Advance(std::move(c), now);  // a pipelined request may already be here
  }
}

void HttpServer::Impl::ExpireDeadlines(int64_t now) {
  std::vector<int> expired;
  for (const auto& [fd, c] : loop_connections) {
    if (c->deadline_micros <= now) expired.push_back(fd);
  }
  for (int fd : expired) {
    Connection* c = loop_connections[fd].get();
    if (c->parser.started() && !c->lingering) {
      const bool in_body = c->parser.body_pending();
      SendNow(fd, 408, "Request Timeout",
              in_body ? "the request body did not arrive within " +
                            std::to_string(options.body_timeout_seconds) + " s"
                      : "the request head did not arrive within " +
                            std::to_string(options.read_timeout_seconds) + " s");
      metrics.RecordDroppedConnection("timeout");
    }
    CloseInLoop(fd);
  }
}

void HttpServer::Impl::BeginDrain(int64_t now) {
  draining.store(true);
  drain_deadline_micros = now + int64_t{options.shutdown_grace_seconds} * kMicros;
  log::Info("http.draining", {{"waiting", busy_workers.load()}});
  if (listen_fd >= 0) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
    ::close(listen_fd);  // new connections are refused from now on
    listen_fd = -1;
  }
  // Idle connections end now; those in the middle of a request get its answer (503) first.
  std::vector<int> idle;
  for (const auto& [fd, c] : loop_connections) {
    if (!c->parser.started() || c->lingering) idle.push_back(fd);
  }
  for (int fd : idle) CloseInLoop(fd);
}

Status HttpServer::Impl::RunLoop() {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listen_fd;
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
  ev.data.fd = wake_fd;
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev);
  epoll_event events[256];
  while (true) {
    int64_t now = MonotonicMicros();
    {
      std::lock_guard<std::mutex> lock(run_mu);
      if (shutdown_requested && !draining.load()) BeginDrain(now);
    }
    if (draining.load()) {
      if (now >= drain_deadline_micros) {
        std::vector<int> all;
        for (const auto& [fd, c] : loop_connections) all.push_back(fd);
        for (int fd : all) CloseInLoop(fd);
      }
      bool returned_empty;
      {
        std::lock_guard<std::mutex> lock(returned_mu);
        returned_empty = returned.empty();
      }
      if (loop_connections.empty() && busy_workers.load() == 0 && returned_empty) break;
    }
    // Deadlines are checked at least every 100 ms: finer than any timeout they enforce.
    const int n = epoll_wait(epoll_fd, events, 256, 100);
    if (n < 0 && errno != EINTR) {
      return Status::IOError("epoll_wait failed: " + std::string(std::strerror(errno)));
    }
    now = MonotonicMicros();
    for (int i = 0; i < std::max(n, 0); ++i) {
      const int fd = events[i].data.fd;
      if (fd == listen_fd) {
        Accept(now);
      } else if (fd == wake_fd) {
        uint64_t count;
        (void)::read(wake_fd, &count, sizeof(count));
      } else if (auto it = loop_connections.find(fd); it != loop_connections.end()) {
        ReadFrom(it->second.get(), now);
      }
    }
    TakeReturned(now);
    ExpireDeadlines(now);
  }
  return Status::OK();
}

}  // namespace saleslake::web
