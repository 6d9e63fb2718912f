// A real HttpServer on 127.0.0.1 and an ephemeral port, serving from a background thread for the
// length of a test.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "web/http_server.h"

namespace saleslake::web::testing {

class RunningServer {
 public:
  // `setup` adds routes before the server listens.
  explicit RunningServer(const std::function<void(HttpServer*)>& setup = {},
                         ServerOptions options = {}) {
    options.listen = ListenAddress{"127.0.0.1", 0};
    server_ = std::make_unique<HttpServer>(options);
    if (setup) setup(server_.get());
    Status listening = server_->Listen();
    EXPECT_TRUE(listening.ok()) << listening.ToString();
    if (listening.ok()) thread_ = std::thread([this] { run_status_ = server_->Run(); });
  }
  ~RunningServer() { (void)Stop(); }

  // Shuts down, waits for the drain, and returns what Run() returned.
  Status Stop() {
    server_->Shutdown();
    if (thread_.joinable()) thread_.join();
    return run_status_;
  }

  HttpServer& server() { return *server_; }
  std::string Url(const std::string& path_and_query) const {
    return server_->url() + path_and_query;
  }

 private:
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  Status run_status_;
};

}  // namespace saleslake::web::testing
