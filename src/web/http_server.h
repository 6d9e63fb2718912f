// The HTTP server core shared by `saleslake api` and `saleslake serve`: a route table over
// cpp-httplib with structured access logs, Prometheus metrics, request limits, gzip, chunked
// streaming and a graceful shutdown that lets in-flight responses finish.
//
//   HttpServer server(options);
//   server.Route("GET", "/v1/sales", handler);
//   SL_RETURN_IF_ERROR(server.Listen());      // binds; server.port() is now known
//   SL_RETURN_IF_ERROR(server.Run());         // serves until Shutdown(), then drains
//
// Every server answers GET /healthz and GET /metrics. Unknown paths get a JSON 404, known paths
// with another method a JSON 405 with an Allow header. Routes are exact paths.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "web/http_exchange.h"
#include "web/listen_address.h"
#include "web/server_metrics.h"

namespace saleslake::web {

struct ServerOptions {
  ListenAddress listen{"127.0.0.1", 8080};
  // Connections served at once. A kept-alive connection holds its worker while idle, so this is
  // also how many clients can be connected together; workers mostly wait on sockets, not the CPU.
  int worker_threads = 32;
  size_t max_request_body_bytes = 1 << 20;  // larger bodies get 413
  int keep_alive_seconds = 5;               // an idle connection is closed after this
  int keep_alive_max_requests = 10'000;     // requests per connection before it is closed
  int read_timeout_seconds = 10;            // a client that stops sending its request is dropped
  int write_timeout_seconds = 30;           // a client that stops reading its response is dropped
  int gzip_level = 1;                       // fast: generated JSON compresses ~4x even at 1
  // How long Shutdown waits for accepted requests to start their responses before closing.
  int shutdown_grace_seconds = 10;
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
