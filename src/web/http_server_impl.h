// Internals of HttpServer shared by its two source files: http_server.cc (configuration and
// lifecycle) and request_flow.cc (the path of one request: routing, handler, body, access log).
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "web/http_server.h"

namespace saleslake::web {

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

// The exchange of the calling worker thread.
Exchange& CurrentExchange();

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

  httplib::Server::HandlerResponse PreRoute(const httplib::Request& req, httplib::Response& res);
  void Dispatch(const httplib::Request& req, httplib::Response& res);
  void ApplyResponse(Response& response, httplib::Response& res);
  bool StreamBody(const BodyProducer& producer, httplib::DataSink& sink);
  httplib::Server::HandlerResponse FillLibraryError(const httplib::Request& req,
                                                    httplib::Response& res);
  void LogExchange(const httplib::Request& req, const httplib::Response& res);
  void EndBeforeBody(Exchange& ex);
  void DrainThenStop();
  void Configure();
};

}  // namespace saleslake::web
