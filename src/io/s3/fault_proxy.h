// A fault-injecting HTTP/1.1 proxy on 127.0.0.1 for S3 tests: it sits between our client and a
// real S3 server and, for the requests that match a rule, answers an error, stalls, or cuts the
// connection in the middle of the request body — the failures S3 clients meet in production
// (500, 503 SlowDown, slow responses, a server dying mid-upload). Everything else is forwarded
// byte for byte (the Host header too, so signatures stay valid).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"

namespace saleslake::io::s3::testing {

struct FaultRule {
  enum class Action {
    kRespond,       // answer `status` with an S3 <Error> of `code`, without forwarding
    kDelay,         // wait `delay_ms`, then forward
    kCutMidBody,    // read half of the request body, then close the connection
    kDropResponse,  // forward, then close the connection instead of relaying the answer
  };
  std::string method;           // "" matches any
  std::string target_contains;  // substring of the request target ("?partNumber=2"); "" any
  int times = 1;                // matching requests affected; -1 for all
  Action action = Action::kRespond;
  int status = 503;
  std::string code = "SlowDown";
  std::string message = "injected by the test proxy";
  int delay_ms = 0;
};

class FaultProxy {
 public:
  // Listens on a free loopback port and forwards to 127.0.0.1:`upstream_port`.
  static Result<std::unique_ptr<FaultProxy>> Start(int upstream_port);
  ~FaultProxy();

  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void AddRule(FaultRule rule);
  void ClearRules();
  int requests_seen() const { return requests_seen_.load(); }
  int faults_injected() const { return faults_injected_.load(); }
  // Requests seen whose request line contains `text` ("PUT ", "partNumber=").
  int RequestsMatching(const std::string& text) const;

 private:
  FaultProxy() = default;
  void AcceptLoop();
  void Serve(int client_fd);
  // The rule for this request, consuming one of its uses; nullptr when none applies.
  bool TakeRule(const std::string& method, const std::string& target, FaultRule* out);

  int listen_fd_ = -1;
  int port_ = 0;
  int upstream_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<FaultRule> rules_;
  std::vector<std::thread> workers_;
  std::vector<int> open_fds_;
  std::vector<std::string> request_lines_;
  std::atomic<int> requests_seen_{0};
  std::atomic<int> faults_injected_{0};
};

}  // namespace saleslake::io::s3::testing
