#include "io/s3/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "base/strings.h"

namespace saleslake::io::s3::testing {
namespace {

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Reads until `buffer` holds "\r\n\r\n"; returns the head's length (with the blank line) or 0 on
// EOF/error. Bytes after the head stay in `buffer`.
size_t ReadHead(int fd, std::string* buffer) {
  char chunk[65536];
  while (true) {
    size_t end = buffer->find("\r\n\r\n");
    if (end != std::string::npos) return end + 4;
    if (buffer->size() > (1 << 20)) return 0;
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return 0;
    buffer->append(chunk, static_cast<size_t>(n));
  }
}

// Makes sure `buffer` holds at least `size` bytes.
bool ReadAtLeast(int fd, std::string* buffer, size_t size) {
  char chunk[65536];
  while (buffer->size() < size) {
    ssize_t n = ::recv(fd, chunk, std::min(sizeof chunk, size - buffer->size()), 0);
    if (n <= 0) return false;
    buffer->append(chunk, static_cast<size_t>(n));
  }
  return true;
}

// The value of header `name` (lower-case) in an HTTP head, or "".
std::string HeaderValue(const std::string& head, const std::string& name) {
  std::string lower = Lower(head);
  size_t at = lower.find("\r\n" + name + ":");
  if (at == std::string::npos) return "";
  size_t start = at + 2 + name.size() + 1;
  size_t end = head.find("\r\n", start);
  std::string value = head.substr(start, end - start);
  value.erase(0, value.find_first_not_of(' '));
  return value;
}

int ConnectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

std::string ErrorResponse(int status, const std::string& code, const std::string& message) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
                     "</Code><Message>" + message +
                     "</Message><RequestId>fault-proxy</RequestId></Error>";
  return "HTTP/1.1 " + std::to_string(status) + " Injected\r\nContent-Type: application/xml\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

Result<std::unique_ptr<FaultProxy>> FaultProxy::Start(int upstream_port) {
  std::unique_ptr<FaultProxy> proxy(new FaultProxy());
  proxy->upstream_port_ = upstream_port;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Status::IOError("socket failed");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return Status::IOError(std::string("cannot listen on loopback: ") + std::strerror(errno));
  }
  proxy->listen_fd_ = fd;
  proxy->port_ = ntohs(addr.sin_port);
  proxy->acceptor_ = std::thread([p = proxy.get()] { p->AcceptLoop(); });
  return proxy;
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard lock(mu_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (std::thread& t : workers_) t.join();
}

void FaultProxy::AddRule(FaultRule rule) {
  std::lock_guard lock(mu_);
  rules_.push_back(std::move(rule));
}

void FaultProxy::ClearRules() {
  std::lock_guard lock(mu_);
  rules_.clear();
}

int FaultProxy::RequestsMatching(const std::string& text) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(
      std::count_if(request_lines_.begin(), request_lines_.end(),
                    [&](const std::string& l) { return l.find(text) != std::string::npos; }));
}

bool FaultProxy::TakeRule(const std::string& method, const std::string& target, FaultRule* out) {
  std::lock_guard lock(mu_);
  for (FaultRule& rule : rules_) {
    if (rule.times == 0) continue;
    if (!rule.method.empty() && rule.method != method) continue;
    if (!rule.target_contains.empty() && target.find(rule.target_contains) == std::string::npos) {
      continue;
    }
    if (rule.times > 0) --rule.times;
    *out = rule;
    return true;
  }
  return false;
}

void FaultProxy::AcceptLoop() {
  while (!stopping_) {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      if (stopping_) return;
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard lock(mu_);
    open_fds_.push_back(fd);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void FaultProxy::Serve(int client_fd) {
  std::string buffer;
  while (!stopping_) {
    size_t head_len = ReadHead(client_fd, &buffer);
    if (head_len == 0) break;
    std::string head = buffer.substr(0, head_len);
    std::string request_line = head.substr(0, head.find("\r\n"));
    std::string method = request_line.substr(0, request_line.find(' '));
    size_t t0 = request_line.find(' ') + 1;
    std::string target = request_line.substr(t0, request_line.rfind(' ') - t0);
    size_t body_len = 0;
    if (std::string cl = HeaderValue(head, "content-length"); !cl.empty()) {
      body_len = std::stoull(cl);
    }
    requests_seen_++;
    {
      std::lock_guard lock(mu_);
      request_lines_.push_back(request_line);
    }
    FaultRule rule;
    bool faulty = TakeRule(method, target, &rule);
    if (faulty && rule.action == FaultRule::Action::kCutMidBody) {
      faults_injected_++;
      ReadAtLeast(client_fd, &buffer, head_len + body_len / 2);
      break;  // the "server" dies with the request half received
    }
    if (!ReadAtLeast(client_fd, &buffer, head_len + body_len)) break;
    std::string request = buffer.substr(0, head_len + body_len);
    buffer.erase(0, head_len + body_len);
    if (faulty && rule.action == FaultRule::Action::kRespond) {
      faults_injected_++;
      if (!WriteAll(client_fd, ErrorResponse(rule.status, rule.code, rule.message))) break;
      continue;
    }
    if (faulty && rule.action == FaultRule::Action::kDelay) {
      faults_injected_++;
      std::this_thread::sleep_for(std::chrono::milliseconds(rule.delay_ms));
    }
    // Forward on a fresh upstream connection and relay the response.
    int up = ConnectLoopback(upstream_port_);
    if (up < 0) break;
    bool ok = WriteAll(up, request);
    std::string response;
    size_t response_head = ok ? ReadHead(up, &response) : 0;
    bool keep_alive = false;
    if (response_head > 0) {
      std::string rhead = response.substr(0, response_head);
      std::string cl = HeaderValue(rhead, "content-length");
      int status = std::atoi(rhead.c_str() + rhead.find(' ') + 1);
      bool no_body = method == "HEAD" || status == 204 || status == 304;
      if (no_body) {
        response.resize(response_head);
        keep_alive = true;
      } else if (!cl.empty()) {
        ok = ReadAtLeast(up, &response, response_head + std::stoull(cl));
        response.resize(response_head + std::stoull(cl));
        keep_alive = ok;
      } else {
        // Body delimited by the end of the connection: relay it all, then close.
        char chunk[65536];
        ssize_t n;
        while ((n = ::recv(up, chunk, sizeof chunk, 0)) > 0) {
          response.append(chunk, static_cast<size_t>(n));
        }
      }
    }
    ::close(up);
    if (faulty && rule.action == FaultRule::Action::kDropResponse) {
      faults_injected_++;
      break;  // the server did the work, the answer is lost
    }
    if (response_head == 0 || !WriteAll(client_fd, response) || !keep_alive) break;
  }
  ::shutdown(client_fd, SHUT_RDWR);
  std::lock_guard lock(mu_);
  open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), client_fd), open_fds_.end());
  ::close(client_fd);
}

}  // namespace saleslake::io::s3::testing
