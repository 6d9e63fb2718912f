#include "pipeline/http_source.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <thread>

namespace saleslake::pipeline {
namespace {

// A real HTTP server on 127.0.0.1 with misbehaving routes.
class FlakyServer {
 public:
  FlakyServer() {
    server_.Get("/ok", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(100000, 'x'), "application/json");
    });
    server_.Get("/flaky", [this](const httplib::Request&, httplib::Response& res) {
      if (calls_++ < 2) {
        res.status = 503;
        res.set_content("slow down", "text/plain");
        return;
      }
      res.set_content("[1,2,3]", "application/json");
    });
    server_.Get("/notfound", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("{\"error\":\"no such route\"}", "application/json");
    });
    server_.Get("/always500", [](const httplib::Request&, httplib::Response& res) {
      res.status = 500;
      res.set_content("boom", "text/plain");
    });
    server_.Get("/stall", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/json",
                                       [](size_t offset, httplib::DataSink& sink) {
                                         if (offset == 0) {
                                           // Enough varied bytes that a gzip encoder must
                                           // emit some of them before the stall.
                                           std::string part = "[";
                                           for (int i = 0; part.size() < 300000; ++i) {
                                             part += std::to_string(i * 7919 % 100003) + ",";
                                           }
                                           sink.write(part.data(), part.size());
                                           return true;
                                         }
                                         std::this_thread::sleep_for(std::chrono::seconds(3));
                                         return false;  // hang up mid-body
                                       });
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FlakyServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  int calls() const { return calls_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> calls_{0};
};

HttpFetchOptions Fast() {
  HttpFetchOptions o;
  o.backoff_initial_ms = 10;
  o.backoff_max_ms = 20;
  o.stall_timeout_ms = 1000;
  o.total_timeout_ms = 2000;
  return o;
}

TEST(HttpSourceTest, StreamsTheBody) {
  FlakyServer server;
  std::string body;
  auto r = FetchStreaming(
      server.Url("/ok"), Fast(),
      [&](std::string_view chunk) {
        body.append(chunk);
        return Status::OK();
      },
      nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(body, std::string(100000, 'x'));
  EXPECT_EQ(r->body_bytes, 100000u);
  EXPECT_EQ(r->attempts, 1);
}

TEST(HttpSourceTest, RetriesServerErrorsThenSucceeds) {
  FlakyServer server;
  std::string body;
  auto r = FetchStreaming(
      server.Url("/flaky"), Fast(),
      [&](std::string_view chunk) {
        body.append(chunk);
        return Status::OK();
      },
      nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(body, "[1,2,3]");
  EXPECT_EQ(r->attempts, 3);
}

TEST(HttpSourceTest, ClientErrorsAreNotRetriedAndQuoteTheServer) {
  FlakyServer server;
  int chunks = 0;
  auto r = FetchStreaming(
      server.Url("/notfound"), Fast(),
      [&](std::string_view) {
        ++chunks;
        return Status::OK();
      },
      nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(chunks, 0);
  EXPECT_NE(r.status().message().find("HTTP 404"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("no such route"), std::string::npos);
}

TEST(HttpSourceTest, GivesUpAfterMaxAttempts) {
  FlakyServer server;
  auto r = FetchStreaming(
      server.Url("/always500"), Fast(), [](std::string_view) { return Status::OK(); }, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("HTTP 500"), std::string::npos);
}

TEST(HttpSourceTest, BrokenBodyRestartsTheConsumer) {
  FlakyServer server;
  int restarts = 0;
  HttpFetchOptions o = Fast();
  o.max_attempts = 2;
  o.accept_gzip = false;  // a compressing server would hold back the first bytes
  auto r = FetchStreaming(
      server.Url("/stall"), o, [](std::string_view) { return Status::OK(); }, [&] { ++restarts; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(restarts, 1);
  EXPECT_NE(r.status().message().find("bytes of the body"), std::string::npos)
      << r.status().ToString();
}

TEST(HttpSourceTest, ConnectionRefusedIsUnavailable) {
  HttpFetchOptions o = Fast();
  o.max_attempts = 2;
  auto r = FetchStreaming(
      "http://127.0.0.1:1/v1/sales", o, [](std::string_view) { return Status::OK(); }, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("127.0.0.1:1"), std::string::npos);
}

TEST(HttpSourceTest, SinkErrorsStopWithoutRetry) {
  FlakyServer server;
  auto r = FetchStreaming(
      server.Url("/ok"), Fast(), [](std::string_view) { return Status::IOError("disk full"); },
      nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace saleslake::pipeline
