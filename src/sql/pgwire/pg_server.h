// `saleslake serve --pg-listen HOST:PORT`: a PostgreSQL protocol v3 server over the read-only SQL
// engine, so psql, JDBC (Metabase, DBeaver), psycopg (Superset), node-postgres and other libpq
// clients connect. One thread per connection, at most max_connections at once.
//
// Sign-in (the same users, keys and roles as the dashboard, auth/credentials.h):
//   - no credentials: open, every connection may query; only allowed on a loopback address;
//   - users sign in with SCRAM-SHA-256 and need the analyst role (as the SQL console does);
//   - API keys: the key's name as user name and the key as password, sent in clear, so only
//     over TLS or from a loopback peer.
// TLS (--pg-tls-cert/--pg-tls-key) answers SSLRequest with 'S'; without it, with 'N'.
// GSSENCRequest is answered 'N'. CancelRequest (with the BackendKeyData key) stops the query.
// Bounds: a startup deadline, message size caps (pg_messages.h), a statement timeout, the
// connection limit.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "auth/credentials.h"
#include "base/status.h"
#include "sql/pgwire/pg_session.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace saleslake::sql::pgwire {

struct PgServerOptions {
  std::string host = "127.0.0.1";
  int port = 5433;                                       // 0: any free port (port() says which)
  std::shared_ptr<const auth::Credentials> credentials;  // null: open (loopback only)
  std::string tls_cert, tls_key;                         // PEM files; both or neither
  int max_connections = 64;
  double startup_timeout_seconds = 10;
  SessionOptions session;
  TableSource tables;
};

class PgServer {
 public:
  explicit PgServer(PgServerOptions options);
  ~PgServer();

  // Binds and listens (and loads the TLS files); errors say what to change.
  Status Listen();
  int port() const { return port_; }
  // Accepts connections until Shutdown().
  void Run();
  // Stops accepting, closes every connection and waits for their threads. Thread-safe.
  void Shutdown();

 private:
  class Connection;
  void Serve(int fd, std::string peer, bool loopback_peer);
  bool CancelBackend(int32_t pid, int32_t secret);

  PgServerOptions options_;
  int listen_fd_ = -1;
  int port_ = 0;
  SSL_CTX* tls_ = nullptr;
  std::atomic<bool> stopping_{false};

  std::mutex mu_;  // everything below
  std::condition_variable idle_;
  int active_ = 0;
  int32_t next_pid_ = 1000;
  struct Backend {
    int32_t secret;
    Session* session;
    int fd;
  };
  std::map<int32_t, Backend> backends_;
};

}  // namespace saleslake::sql::pgwire
