// The HTTP/1.1 server core shared by `saleslake api` and `saleslake serve`: a route table with
// a strict request parser, deadlines and connection limits (web/http_server_impl.h), structured
// access logs, Prometheus metrics, request limits, gzip, chunked
// streaming and a graceful shutdown that lets in-flight responses finish.
//
//   HttpServer server(options);
//   server.Route("GET", "/v1/sales", handler);
//   SL_RETURN_IF_ERROR(server.Listen());      // binds; server.port() is now known
//   SL_RETURN_IF_ERROR(server.Run());         // serves until Shutdown(), then drains
//
// Every server answers GET /healthz and GET /metrics. Unknown paths get a JSON 404, known paths
// with another method a JSON 405 with an Allow header. Routes are exact paths. Only POST, PUT and
// PATCH routes read a request body; a body sent anywhere else is refused before it is read.
// Requests whose Host does not name this server get 421 (DNS rebinding; web/host_policy.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "web/host_policy.h"
#include "web/http_exchange.h"
#include "web/listen_address.h"
#include "web/server_metrics.h"

namespace saleslake::web {

struct ServerOptions {
  ListenAddress listen{"127.0.0.1", 8080};
  // Threads that answer complete requests. Idle connections and requests still arriving hold
  // none: one front thread reads every request before a worker sees it.
  int worker_threads = 32;
  // Connections open at once (idle ones included); one more is answered 503 and closed.
  int max_connections = 512;
  size_t max_request_body_bytes = 1 << 20;  // larger bodies (chunked or not) get 413
  int keep_alive_seconds = 5;               // an idle connection is closed after this
  int keep_alive_max_requests = 10'000;     // requests per connection before it is closed
  int read_timeout_seconds = 10;   // a request's head must arrive within this (else 408, closed)
  int body_timeout_seconds = 60;   // and its body within this after the head
  int write_timeout_seconds = 30;  // a client that stops reading its response is dropped
  int gzip_level = 1;              // fast: generated JSON compresses ~4x even at 1
  // How long Shutdown waits for requests still arriving before closing their connections.
  int shutdown_grace_seconds = 10;
  // Host names (NAME or NAME:PORT) accepted besides localhost, 127.0.0.1, [::1] and the listen
  // address; any other Host is answered 421 (see web/host_policy.h).
  std::vector<std::string> allowed_hosts;
};

class HttpServer {
 public:
  using Handler = std::function<void(const Request& request, Response* response)>;

  explicit HttpServer(ServerOptions options);
  // REQUIRES: Run() is not running.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Adds a route for one method and exact path; a GET route also answers HEAD.
  // REQUIRES: called before Listen().
  void Route(const std::string& method, const std::string& path, Handler handler);

  // The registry behind /metrics; endpoints add their own metric families to it.
  ServerMetrics& metrics();

  // Binds the listening socket (port 0: a free port chosen by the kernel).
  Status Listen();
  // The bound port and base URL ("http://127.0.0.1:8080"). REQUIRES: Listen() succeeded.
  int port() const;
  std::string url() const;

  // The policy that decides which Host values and Origins are this server's own.
  // REQUIRES: Listen() succeeded.
  const HostPolicy& host_policy() const;

  // Serves until Shutdown(); then stops accepting, lets in-flight requests finish, and returns.
  Status Run();
  // Thread-safe and idempotent; returns at once (Run() returns when the drain is over). Requests
  // arriving during the drain get 503 and Connection: close.
  void Shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace saleslake::web
