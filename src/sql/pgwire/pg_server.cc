#include "sql/pgwire/pg_server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "auth/scram.h"
#include "base/logging.h"

namespace saleslake::sql::pgwire {
namespace {

constexpr int32_t kAuthOk = 0;
constexpr int32_t kAuthCleartext = 3;
constexpr int32_t kAuthSasl = 10;
constexpr int32_t kAuthSaslContinue = 11;
constexpr int32_t kAuthSaslFinal = 12;

void SetReceiveTimeout(int fd, double seconds) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(seconds);
  tv.tv_usec = static_cast<suseconds_t>((seconds - static_cast<double>(tv.tv_sec)) * 1e6);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

bool IsLoopbackPeer(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
  }
  if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) return in6->sin6_addr.s6_addr[12] == 127;
  }
  return false;
}

std::string PeerName(const sockaddr_storage& addr) {
  char host[NI_MAXHOST] = "?", port[NI_MAXSERV] = "?";
  getnameinfo(reinterpret_cast<const sockaddr*>(&addr), sizeof(addr), host, sizeof(host), port,
              sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV);
  return std::string(host) + ":" + port;
}

int32_t GetInt32(const char* p) {
  uint32_t u = 0;
  for (int i = 0; i < 4; ++i) u = (u << 8) | static_cast<uint8_t>(p[i]);
  return static_cast<int32_t>(u);
}

}  // namespace

// A socket, plain or TLS, with a read buffer.
class PgServer::Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}
  ~Connection() {
    if (ssl_ != nullptr) {
      SSL_shutdown(ssl_);
      SSL_free(ssl_);
    }
  }

  bool StartTls(SSL_CTX* ctx) {
    ssl_ = SSL_new(ctx);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) return false;
    if (SSL_accept(ssl_) != 1) {
      ERR_clear_error();
      return false;
    }
    return true;
  }
  bool tls() const { return ssl_ != nullptr; }

  // Exactly n bytes; false on EOF, error or timeout.
  bool ReadExact(char* out, size_t n) {
    while (n > 0) {
      if (pos_ == buf_.size()) {
        if (!Fill()) return false;
      }
      const size_t take = std::min(n, buf_.size() - pos_);
      std::memcpy(out, buf_.data() + pos_, take);
      pos_ += take;
      out += take;
      n -= take;
    }
    return true;
  }
  bool Buffered() const { return pos_ < buf_.size() || (ssl_ != nullptr && SSL_pending(ssl_) > 0); }

  bool Write(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n;
      if (ssl_ != nullptr) {
        n = SSL_write(ssl_, data.data() + done, static_cast<int>(data.size() - done));
        if (n <= 0) return false;
      } else {
        n = send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
      }
      done += static_cast<size_t>(n);
    }
    return true;
  }

 private:
  bool Fill() {
    buf_.resize(16384);
    pos_ = 0;
    ssize_t n;
    if (ssl_ != nullptr) {
      n = SSL_read(ssl_, buf_.data(), static_cast<int>(buf_.size()));
    } else {
      do {
        n = recv(fd_, buf_.data(), buf_.size(), 0);
      } while (n < 0 && errno == EINTR);
    }
    if (n <= 0) {
      buf_.clear();
      return false;
    }
    buf_.resize(static_cast<size_t>(n));
    return true;
  }

  int fd_;
  SSL* ssl_ = nullptr;
  std::string buf_;
  size_t pos_ = 0;
};

PgServer::PgServer(PgServerOptions options) : options_(std::move(options)) {}

PgServer::~PgServer() {
  Shutdown();
  if (listen_fd_ >= 0) close(listen_fd_);
  if (tls_ != nullptr) SSL_CTX_free(tls_);
}

Status PgServer::Listen() {
  if (options_.tls_cert.empty() != options_.tls_key.empty()) {
    return Status::InvalidArgument("give both --pg-tls-cert and --pg-tls-key, or neither");
  }
  if (!options_.tls_cert.empty()) {
    tls_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(tls_, TLS1_2_VERSION);
    if (SSL_CTX_use_certificate_chain_file(tls_, options_.tls_cert.c_str()) != 1) {
      ERR_clear_error();
      return Status::InvalidArgument("--pg-tls-cert " + options_.tls_cert +
                                     ": cannot read a PEM certificate from it");
    }
    if (SSL_CTX_use_PrivateKey_file(tls_, options_.tls_key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(tls_) != 1) {
      ERR_clear_error();
      return Status::InvalidArgument("--pg-tls-key " + options_.tls_key +
                                     ": cannot read a PEM private key matching the certificate");
    }
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(options_.port);
  if (getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &found) != 0 || !found) {
    return Status::InvalidArgument("--pg-listen " + options_.host + ":" + port +
                                   ": cannot resolve the host");
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(found, freeaddrinfo);
  listen_fd_ = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return Status::IOError("socket: " + std::string(std::strerror(errno)));
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(listen_fd_, found->ai_addr, found->ai_addrlen) != 0 || listen(listen_fd_, 128) != 0) {
    return Status::IOError(fmt::format("--pg-listen {}:{}: {} (is another server on that port?)",
                                       options_.host, port, std::strerror(errno)));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return Status::OK();
}

void PgServer::Run() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    sockaddr_storage peer{};
    socklen_t len = sizeof(peer);
    const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (active_ >= options_.max_connections || stopping_.load()) {
        MessageWriter w;
        WriteError(w, "FATAL", "53300",
                   fmt::format("sorry, too many clients already (the limit is {})",
                               options_.max_connections));
        (void)!send(fd, w.buffer().data(), w.size(), MSG_NOSIGNAL);
        close(fd);
        continue;
      }
      ++active_;
    }
    std::thread([this, fd, peer] {
      Serve(fd, PeerName(peer), IsLoopbackPeer(peer));
      close(fd);
      std::lock_guard<std::mutex> lock(mu_);
      --active_;
      idle_.notify_all();
    }).detach();
  }
}

void PgServer::Shutdown() {
  stopping_.store(true);
  std::unique_lock<std::mutex> lock(mu_);
  for (auto& [pid, b] : backends_) shutdown(b.fd, SHUT_RDWR);
  for (auto& [pid, b] : backends_) b.session->Cancel();
  idle_.wait_for(lock, std::chrono::seconds(10), [this] { return active_ == 0; });
}

bool PgServer::CancelBackend(int32_t pid, int32_t secret) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = backends_.find(pid);
  if (it == backends_.end() || it->second.secret != secret) return false;
  it->second.session->Cancel();
  return true;
}

void PgServer::Serve(int fd, std::string peer, bool loopback_peer) {
  Connection conn(fd);
  MessageWriter w;
  auto fatal = [&](std::string_view sqlstate, std::string_view message) {
    w.clear();
    WriteError(w, "FATAL", sqlstate, message);
    conn.Write(w.buffer());
    log::Warn("pg.connection_refused", {{"peer", peer}, {"reason", std::string(message)}});
  };
  SetReceiveTimeout(fd, options_.startup_timeout_seconds);
  StartupPacket startup;
  for (int attempt = 0;; ++attempt) {
    char head[4];
    if (!conn.ReadExact(head, 4)) return;
    const int32_t len = GetInt32(head);
    if (len < 8 || static_cast<uint32_t>(len) > kMaxStartupBytes) {
      return fatal("08P01", "invalid startup packet length");
    }
    std::string body(static_cast<size_t>(len) - 4, '\0');
    if (!conn.ReadExact(body.data(), body.size())) return;
    Result<StartupPacket> p = ParseStartup(body);
    if (!p.ok()) return fatal("08P01", p.status().message());
    if (p->code == kCancelRequest) {
      CancelBackend(p->cancel_pid, p->cancel_secret);
      return;
    }
    if ((p->code == kSslRequest || p->code == kGssEncRequest) && attempt < 3 && !conn.tls()) {
      const bool tls = p->code == kSslRequest && tls_ != nullptr;
      if (!conn.Write(tls ? "S" : "N")) return;
      if (tls && (conn.Buffered() || !conn.StartTls(tls_))) return;
      continue;
    }
    if (p->code != kProtocolV3) {
      return fatal("0A000", fmt::format("unsupported frontend protocol {}.{}: this server speaks "
                                        "3.0",
                                        p->code >> 16, p->code & 0xffff));
    }
    startup = std::move(*p);
    break;
  }
  CatalogSession who;
  who.user = startup.Parameter("user");
  who.database = startup.Parameter("database").empty() ? who.user : startup.Parameter("database");
  if (who.user.empty()) return fatal("28000", "no user name in the startup packet");

  // Sign-in.
  auto read_message = [&](char* type, std::string* body) {
    char head[5];
    if (!conn.ReadExact(head, 5)) return false;
    *type = head[0];
    const int32_t len = GetInt32(head + 1);
    if (len < 4 || static_cast<uint32_t>(len) > kMaxMessageBytes) return false;
    body->assign(static_cast<size_t>(len) - 4, '\0');
    return conn.ReadExact(body->data(), body->size());
  };
  std::string role = "open";
  if (options_.credentials) {
    const auth::Credentials& creds = *options_.credentials;
    const auth::User* user = creds.FindUser(who.user);
    const auth::ApiKey* key_name = user ? nullptr : creds.FindKeyByName(who.user);
    char type = 0;
    std::string body;
    std::optional<auth::Role> granted;
    if (key_name != nullptr) {
      if (!conn.tls() && !loopback_peer) {
        return fatal("28000",
                     "API keys are accepted only over TLS or from this machine: "
                     "connect with sslmode=require (the server needs --pg-tls-cert)");
      }
      w.clear();
      WriteAuthentication(w, kAuthCleartext);
      if (!conn.Write(w.buffer()) || !read_message(&type, &body) || type != 'p') return;
      Result<std::string> password = ParsePassword(body);
      const auth::ApiKey* key = password.ok() ? creds.FindKey(*password) : nullptr;
      if (key == nullptr || key->name != who.user) {
        return fatal("28P01", "password authentication failed for user \"" + who.user + "\"");
      }
      granted = key->role;
    } else {
      auth::ScramServer scram(user ? auth::ParsePasswordHash(user->password_hash) : std::nullopt);
      w.clear();
      WriteAuthentication(w, kAuthSasl, std::string("SCRAM-SHA-256\0\0", 15));
      if (!conn.Write(w.buffer()) || !read_message(&type, &body) || type != 'p') return;
      Result<std::pair<std::string, std::string>> initial = ParseSaslInitial(body);
      if (!initial.ok() || initial->first != "SCRAM-SHA-256") {
        return fatal("28000", "only SCRAM-SHA-256 is offered for users");
      }
      Result<std::string> first = scram.ClientFirst(initial->second);
      if (!first.ok()) return fatal("28000", first.status().message());
      w.clear();
      WriteAuthentication(w, kAuthSaslContinue, *first);
      if (!conn.Write(w.buffer()) || !read_message(&type, &body) || type != 'p') return;
      Result<std::string> final_message = scram.ClientFinal(body);
      if (!final_message.ok()) {
        return fatal("28P01", "password authentication failed for user \"" + who.user + "\"");
      }
      w.clear();
      WriteAuthentication(w, kAuthSaslFinal, *final_message);
      if (!conn.Write(w.buffer())) return;
      granted = user->role;
    }
    if (*granted < auth::Role::kAnalyst) {
      return fatal("42501", "\"" + who.user + "\" is a " + std::string(auth::RoleName(*granted)) +
                                ": SQL needs the analyst or admin role");
    }
    role = std::string(auth::RoleName(*granted));
  }
  SetReceiveTimeout(fd, 0);  // an idle client may stay connected

  Session session(options_.tables, who, options_.session);
  {
    std::string sqlstate, error;
    if (!session.Configure(startup.parameters, &sqlstate, &error)) return fatal(sqlstate, error);
  }
  int32_t pid = 0, secret = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&secret), sizeof(secret));
  {
    std::lock_guard<std::mutex> lock(mu_);
    pid = next_pid_++;
    backends_[pid] = {secret, &session, fd};
  }
  struct Unregister {
    PgServer* server;
    int32_t pid;
    ~Unregister() {
      std::lock_guard<std::mutex> lock(server->mu_);
      server->backends_.erase(pid);
    }
  } unregister{this, pid};
  struct LogClose {
    const Session& session;
    const std::string& peer;
    ~LogClose() {
      log::Info("pg.disconnected", {{"peer", peer},
                                    {"statements", std::to_string(session.statements_run())},
                                    {"binary_results", std::to_string(session.binary_results())}});
    }
  } log_close{session, peer};
  log::Info(
      "pg.connected",
      {{"peer", peer}, {"user", who.user}, {"role", role}, {"tls", conn.tls() ? "yes" : "no"}});

  w.clear();
  WriteAuthentication(w, kAuthOk);
  for (const char* name :
       {"server_version", "server_encoding", "client_encoding", "DateStyle", "IntervalStyle",
        "TimeZone", "integer_datetimes", "standard_conforming_strings", "is_superuser",
        "session_authorization", "default_transaction_read_only", "in_hot_standby"}) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    WriteParameterStatus(w, name, SettingValue(lower, who));
  }
  WriteParameterStatus(w, "application_name", startup.Parameter("application_name"));
  w.Begin('K');
  w.Int32(pid);
  w.Int32(secret);
  w.End();
  WriteReadyForQuery(w, 'I');
  if (!conn.Write(w.buffer())) return;
  w.clear();

  while (!stopping_.load()) {
    char type = 0;
    std::string body;
    if (!read_message(&type, &body)) {
      if (!stopping_.load() && w.size() == 0) {
        // A message too large or malformed framing: say so before closing.
        MessageWriter e;
        WriteError(e, "FATAL", "08P01", "invalid message length or connection closed");
        conn.Write(e.buffer());
      }
      return;
    }
    const bool go_on = session.Handle(type, body, w);
    if (!go_on) return;
    // Replies go out when the client has sent nothing more (pipelined messages are answered
    // together), and at least at every Sync, Flush and Query.
    if (w.size() > 0 &&
        (!conn.Buffered() || type == 'S' || type == 'H' || type == 'Q' || w.size() > (1 << 20))) {
      if (!conn.Write(w.buffer())) return;
      w.clear();
    }
  }
}

}  // namespace saleslake::sql::pgwire
