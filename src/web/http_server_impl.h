// Internals of HttpServer shared by its source files:
//   http_server.cc      configuration, listening socket, worker pool, lifecycle;
//   connection_loop.cc  the front: one thread that accepts connections and reads every request
//                       head and body under deadlines and byte caps (epoll), refusing what it
//                       must, and hands complete requests to the workers;
//   request_flow.cc     the path of one complete request on a worker: routing decision, handler,
//                       response bytes (gzip, chunked streaming), access log + metrics.
//
// A connection belongs to exactly one thread at a time: the loop while it is idle or receiving a
// request, a worker while its request is answered. Idle and slow connections therefore cost
// memory (bounded by the parser's caps), never a worker.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "web/host_policy.h"
#include "web/http_parser.h"
#include "web/http_server.h"

namespace saleslake::web {

struct Connection {
  explicit Connection(const ParseLimits& limits) : parser(limits) {}

  int fd = -1;
  std::string remote_addr;
  int remote_port = -1;
  std::string received;  // bytes read and not yet consumed by the parser
  RequestParser parser;
  int requests_served = 0;
  int64_t deadline_micros = 0;  // idle, head or body deadline, whichever applies now
  int64_t start_micros = 0;     // when the current request's head was complete

  // Decided when the head is complete (or parsing failed).
  const std::string* route = nullptr;  // key of the matched route (routes are frozen)
  const HttpServer::Handler* handler = nullptr;
  int refuse_status = 0;  // answer this error instead of calling a handler
  std::string refuse_message;
  std::string allow;         // the Allow header of a 405
  bool close_after = false;  // the body was not read: the connection cannot be reused

  // After an early refusal: the write side is shut and what the client still sends is discarded
  // for a moment, so that it reads the error rather than a reset.
  bool lingering = false;
  uint64_t lingered_bytes = 0;
};

struct HttpServer::Impl {
  explicit Impl(ServerOptions opts);

  ServerOptions options;
  ServerMetrics metrics;
  ParseLimits limits;
  HostPolicy hosts;  // set by Listen, once the port is known
  // path -> method -> handler. Frozen once Listen() starts, so workers read it without a lock.
  std::map<std::string, std::map<std::string, Handler>> routes;
  int listen_fd = -1;
  int bound_port = -1;

  // The front (connection_loop.cc), run on the thread that called Run().
  int epoll_fd = -1;
  int wake_fd = -1;  // eventfd: a returned connection or a shutdown request
  std::unordered_map<int, std::unique_ptr<Connection>> loop_connections;  // by fd
  std::atomic<int> open_connections{0};
  std::atomic<bool> draining{false};
  int64_t drain_deadline_micros = 0;
  int64_t accept_paused_until = 0;  // out of descriptors: accepting pauses for a moment

  // Connections handed back by workers (kept alive, or to linger), for the loop to take.
  std::mutex returned_mu;
  std::vector<std::unique_ptr<Connection>> returned;

  // The worker pool: complete requests wait here for a worker.
  std::mutex work_mu;
  std::condition_variable work_cv;
  std::deque<std::unique_ptr<Connection>> work;
  bool workers_stop = false;
  std::atomic<int> busy_workers{0};  // requests being answered, queued ones included
  std::vector<std::thread> workers;

  std::mutex run_mu;
  bool shutdown_requested = false;

  // connection_loop.cc
  Status RunLoop();
  void Accept(int64_t now);
  void ReadFrom(Connection* c, int64_t now);
  void Advance(std::unique_ptr<Connection> c, int64_t now);
  void ExpireDeadlines(int64_t now);
  void TakeReturned(int64_t now);
  void BeginDrain(int64_t now);
  void CloseInLoop(int fd);
  void Close(Connection* c);
  void Wake();

  // request_flow.cc
  void DecideHead(Connection* c);
  // Answers the connection's request; false when the connection must close afterwards.
  bool Serve(Connection* c);
  bool StreamBody(Connection* c, const BodyProducer& producer, bool gzip, bool chunked,
                  uint64_t* sent);
  void WorkerMain();
  void Finish(std::unique_ptr<Connection> c, bool keep);
};

}  // namespace saleslake::web
