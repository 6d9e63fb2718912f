// The server core over real sockets: a real HttpServer on 127.0.0.1, called with libcurl.
#include "web/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "base/logging.h"
#include "web/testing/http_test_client.h"
#include "web/testing/running_server.h"

namespace saleslake::web {
namespace {

using testing::HttpTestClient;
using testing::RunningServer;

std::string NumberedLines(int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += "line " + std::to_string(i) + " of the stream\n";
  return out;
}

// Routes used by the tests below.
void AddTestRoutes(HttpServer* server) {
  server->Route("GET", "/small",
                [](const Request&, Response* res) { res->SetBody(200, "text/plain", "hello"); });
  server->Route("GET", "/big", [](const Request&, Response* res) {
    res->SetBody(200, "text/plain", NumberedLines(2000));
  });
  server->Route("GET", "/stream", [](const Request& req, Response* res) {
    int pieces = 1000;
    if (auto it = req.query().find("pieces"); it != req.query().end()) {
      pieces = std::stoi(it->second);
    }
    res->SetStream(200, "application/x-ndjson", [pieces](const BodyWriter& write) {
      for (int i = 0; i < pieces; ++i) {
        if (!write("line " + std::to_string(i) + " of the stream\n")) {
          return Status::Aborted("client went away");
        }
      }
      return Status::OK();
    });
  });
  server->Route("POST", "/echo", [](const Request& req, Response* res) {
    res->SetBody(200, "text/plain", req.body());
  });
  server->Route("GET", "/throw",
                [](const Request&, Response*) { throw std::runtime_error("handler bug"); });
}

simdjson::dom::element ParseJson(simdjson::dom::parser& parser, const std::string& text) {
  simdjson::dom::element doc;
  auto error = parser.parse(text).get(doc);
  EXPECT_EQ(error, simdjson::SUCCESS) << text;
  return doc;
}

std::string ErrorMessage(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = ParseJson(parser, body);
  std::string_view message;
  EXPECT_EQ(doc["error"]["message"].get(message), simdjson::SUCCESS) << body;
  return std::string(message);
}

TEST(HttpServerTest, ListensOnAnEphemeralPortAndAnswersHealthz) {
  RunningServer running(AddTestRoutes);
  EXPECT_GT(running.server().port(), 0);
  HttpTestClient client;
  auto r = client.Get(running.Url("/healthz"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_EQ(r->body, R"({"status":"ok"})");
  EXPECT_TRUE(running.Stop().ok());
}

TEST(HttpServerTest, UnknownPathIsAJson404) {
  RunningServer running(AddTestRoutes);
  HttpTestClient client;
  auto r = client.Get(running.Url("/nope?x=1"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_NE(ErrorMessage(r->body).find("/nope"), std::string::npos);
}

TEST(HttpServerTest, WrongMethodIsA405WithAllow) {
  RunningServer running(AddTestRoutes);
  HttpTestClient client;
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    auto r = client.Send(method, running.Url("/healthz"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 405) << method;
    EXPECT_EQ(r->Header("Allow"), "GET, HEAD") << method;
    EXPECT_NE(ErrorMessage(r->body).find(method), std::string::npos);
  }
  auto r = client.Get(running.Url("/echo"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->Header("Allow"), "POST");
}

TEST(HttpServerTest, HeadAnswersGetRoutesWithoutABody) {
  RunningServer running(AddTestRoutes);
  HttpTestClient client;
  auto r = client.Send("HEAD", running.Url("/stream"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Type"), "application/x-ndjson");
  EXPECT_EQ(r->body, "");
}

TEST(HttpServerTest, AHandlerExceptionIsA500NotACrash) {
  RunningServer running(AddTestRoutes);
  HttpTestClient client;
  auto r = client.Get(running.Url("/throw"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_NE(ErrorMessage(r->body).find("/throw"), std::string::npos);
  auto after = client.Get(running.Url("/healthz"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, 200);
}

TEST(HttpServerTest, RequestBodiesAreCappedWithA413) {
  ServerOptions options;
  options.max_request_body_bytes = 1024;
  RunningServer running(AddTestRoutes, options);
  HttpTestClient client;
  auto small = client.Send("POST", running.Url("/echo"), {}, std::string(1000, 'a'));
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->status, 200);
  EXPECT_EQ(small->body, std::string(1000, 'a'));
  HttpTestClient other;
  auto big = other.Send("POST", running.Url("/echo"), {}, std::string(5000, 'a'));
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_EQ(big->status, 413);
  EXPECT_NE(ErrorMessage(big->body).find("1024"), std::string::npos);
}

TEST(HttpServerTest, OverlongUriIsA414) {
  RunningServer running(AddTestRoutes);
  HttpTestClient client;
  auto r = client.Get(running.Url("/healthz?pad=" + std::string(20000, 'x')));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 414);
  EXPECT_FALSE(ErrorMessage(r->body).empty());
}

TEST(HttpServerTest, MalformedRequestLineIsA400) {
  RunningServer running(AddTestRoutes);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(running.server().port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  const std::string garbage = "BREW /pot HTCPCP/1.0\r\n\r\n";
  ASSERT_EQ(write(fd, garbage.data(), garbage.size()), static_cast<ssize_t>(garbage.size()));
  std::string reply;
  char buf[4096];
  // The connection stays open (keep-alive): read until the error document is complete.
  while (reply.find("}}") == std::string::npos) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
  EXPECT_NE(reply.find(R"({"error":{"message":"bad request"}})"), std::string::npos) << reply;
}

TEST(HttpServerTest, StreamsUseChunkedTransferEncoding) {
  RunningServer running(AddTestRoutes);
  HttpTestClient client;
  auto r = client.Get(running.Url("/stream?pieces=20000"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(r->Header("Content-Length"), "");
  EXPECT_EQ(r->body, NumberedLines(20000));
}

TEST(HttpServerTest, GzipWhenTheClientAcceptsIt) {
  RunningServer running(AddTestRoutes);
  HttpTestClient client;
  for (const char* path : {"/stream", "/big"}) {
    auto plain = client.Get(running.Url(path));
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain->Header("Content-Encoding"), "") << path;
    EXPECT_EQ(plain->Header("Vary"), "Accept-Encoding") << path;

    auto zipped = client.Get(running.Url(path), {"Accept-Encoding: gzip, deflate, br"});
    ASSERT_TRUE(zipped.ok());
    EXPECT_EQ(zipped->status, 200);
    EXPECT_EQ(zipped->Header("Content-Encoding"), "gzip") << path;
    EXPECT_LT(zipped->body.size(), plain->body.size() / 3) << path;
    auto unzipped = testing::Gunzip(zipped->body);
    ASSERT_TRUE(unzipped.ok()) << path << ": " << unzipped.status().ToString();
    EXPECT_EQ(*unzipped, plain->body) << path;

    // Neither brotli nor a refused gzip: the body goes out as it is.
    for (const char* refused : {"Accept-Encoding: br", "Accept-Encoding: gzip;q=0, identity"}) {
      auto r = client.Get(running.Url(path), {refused});
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->Header("Content-Encoding"), "") << path << " " << refused;
      EXPECT_EQ(r->body, plain->body) << path << " " << refused;
    }
  }
  // Tiny bodies are not worth compressing.
  auto small = client.Get(running.Url("/small"), {"Accept-Encoding: gzip"});
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->Header("Content-Encoding"), "");
  EXPECT_EQ(small->body, "hello");
}

// The value of the sample `series` (metric name with labels, exactly as rendered), or -1.
double SampleValue(const std::string& metrics, const std::string& series) {
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

TEST(HttpServerTest, MetricsCountRequestsByRouteAndStatus) {
  RunningServer running(AddTestRoutes);
  HttpTestClient client;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.Get(running.Url("/small")).ok());
  ASSERT_TRUE(client.Get(running.Url("/no/such/thing")).ok());
  auto refused = client.Send("POST", running.Url("/small"));
  ASSERT_TRUE(refused.ok());
  auto r = client.Get(running.Url("/metrics"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->Header("Content-Type").starts_with("text/plain; version=0.0.4"));
  const std::string& m = r->body;
  EXPECT_EQ(
      SampleValue(m, R"(saleslake_http_requests_total{method="GET",route="/small",status="200"})"),
      3);
  EXPECT_EQ(SampleValue(
                m, R"(saleslake_http_requests_total{method="GET",route="unmatched",status="404"})"),
            1);
  EXPECT_EQ(
      SampleValue(m, R"(saleslake_http_requests_total{method="POST",route="/small",status="405"})"),
      1);
  // The 405 matched the route's path, so it counts under the route too.
  EXPECT_EQ(SampleValue(m, R"(saleslake_http_request_duration_seconds_count{route="/small"})"), 4);
  EXPECT_EQ(SampleValue(m, R"(saleslake_http_response_bytes_total{route="/small"})"),
            static_cast<double>(3 * 5 + refused->body.size()));
  // The scrape itself is in flight while it renders.
  EXPECT_EQ(SampleValue(m, "saleslake_http_requests_in_flight"), 1);
  EXPECT_NE(m.find("# TYPE saleslake_http_request_duration_seconds histogram"), std::string::npos);
}

TEST(HttpServerTest, WritesOneStructuredAccessLogLinePerRequest) {
  char path[] = "/tmp/saleslake_access_log_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  log::Configure(log::Format::kJson, log::Level::kInfo);
  int previous = log::SetOutputFd(fd);
  {
    RunningServer running(AddTestRoutes);
    HttpTestClient client;
    ASSERT_TRUE(client.Get(running.Url("/stream?pieces=10")).ok());
    ASSERT_TRUE(running.Stop().ok());
  }
  log::SetOutputFd(previous);
  log::Configure(log::Format::kText, log::Level::kInfo);
  close(fd);
  std::ifstream in(path);
  std::string line;
  int found = 0;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    simdjson::dom::element doc = ParseJson(parser, line);
    std::string_view event;
    ASSERT_EQ(doc["event"].get(event), simdjson::SUCCESS);
    if (event != "http.request") continue;
    ++found;
    std::string_view method, route, query;
    int64_t status = 0, bytes = 0;
    double ms = -1;
    EXPECT_EQ(doc["method"].get(method), simdjson::SUCCESS);
    EXPECT_EQ(doc["route"].get(route), simdjson::SUCCESS);
    EXPECT_EQ(doc["query"].get(query), simdjson::SUCCESS);
    EXPECT_EQ(doc["status"].get(status), simdjson::SUCCESS);
    EXPECT_EQ(doc["bytes"].get(bytes), simdjson::SUCCESS);
    EXPECT_EQ(doc["ms"].get(ms), simdjson::SUCCESS);
    EXPECT_EQ(method, "GET");
    EXPECT_EQ(route, "/stream");
    EXPECT_EQ(query, "pieces=10");
    EXPECT_EQ(status, 200);
    EXPECT_EQ(bytes, static_cast<int64_t>(NumberedLines(10).size()));
    EXPECT_GE(ms, 0);
  }
  std::remove(path);
  EXPECT_EQ(found, 1);
}

TEST(HttpServerTest, AccessLogRedactsSecretsInQueryStrings) {
  char path[] = "/tmp/saleslake_access_log_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  log::Configure(log::Format::kJson, log::Level::kInfo);
  int previous = log::SetOutputFd(fd);
  {
    RunningServer running(AddTestRoutes);
    HttpTestClient client;
    ASSERT_TRUE(
        client
            .Get(running.Url("/small?api_key=k-secret-1&Token=t-secret-2&pAsSwOrD=p-secret-3"
                             "&X-Amz-Signature=s-secret-4&X-Amz-Credential=c-secret-5&day=1"))
            .ok());
    ASSERT_TRUE(running.Stop().ok());
  }
  log::SetOutputFd(previous);
  log::Configure(log::Format::kText, log::Level::kInfo);
  close(fd);
  std::ifstream in(path);
  std::stringstream all;
  all << in.rdbuf();
  std::remove(path);
  const std::string text = all.str();
  EXPECT_EQ(text.find("-secret-"), std::string::npos) << text;
  EXPECT_NE(text.find("api_key=REDACTED&Token=REDACTED&pAsSwOrD=REDACTED&X-Amz-Signature=REDACTED"
                      "&X-Amz-Credential=REDACTED&day=1"),
            std::string::npos)
      << text;
}

TEST(HttpServerTest, SixteenConcurrentKeepAliveClients) {
  RunningServer running(AddTestRoutes);
  constexpr int kThreads = 16;
  constexpr int kRequests = 8;
  std::atomic<int> ok{0};
  std::atomic<int> reused{0};
  std::vector<std::thread> threads;
  const std::string expected = NumberedLines(3000);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      HttpTestClient client;
      for (int i = 0; i < kRequests; ++i) {
        auto r = client.Get(running.Url("/stream?pieces=3000"));
        if (r.ok() && r->status == 200 && r->body == expected) ok.fetch_add(1);
        if (r.ok() && i > 0 && r->new_connections == 0) reused.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kRequests);
  EXPECT_EQ(reused.load(), kThreads * (kRequests - 1));
}

TEST(HttpServerTest, ShutdownLetsAnInFlightStreamFinish) {
  std::atomic<bool> started{false};
  constexpr int kPieces = 200;
  RunningServer running([&](HttpServer* server) {
    server->Route("GET", "/slow", [&](const Request&, Response* res) {
      res->SetStream(200, "text/plain", [&](const BodyWriter& write) {
        started.store(true);
        for (int i = 0; i < kPieces; ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          if (!write(std::string(1000, static_cast<char>('a' + i % 26)))) {
            return Status::Aborted("client went away");
          }
        }
        return Status::OK();
      });
    });
  });
  Result<testing::HttpTestResponse> result = Status::Internal("not run");
  std::thread request([&] {
    HttpTestClient client;
    result = client.Get(running.Url("/slow"));
  });
  while (!started.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Status stopped = running.Stop();  // returns only after the drain
  request.join();
  EXPECT_TRUE(stopped.ok()) << stopped.ToString();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body.size(), kPieces * 1000u);
  // The listening socket is closed: new connections are refused.
  HttpTestClient late;
  EXPECT_FALSE(late.Get(running.Url("/healthz")).ok());
}

TEST(HttpServerTest, ShutdownDoesNotWaitForIdleKeepAliveConnections) {
  ServerOptions options;
  options.keep_alive_seconds = 3600;  // a drain that waited for idle connections would hang
  RunningServer running(AddTestRoutes, options);
  HttpTestClient idle;
  auto first = idle.Get(running.Url("/healthz"));
  ASSERT_TRUE(first.ok());
  auto second = idle.Get(running.Url("/healthz"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->new_connections, 0);  // the connection is kept alive, and now idle
  EXPECT_TRUE(running.Stop().ok());
}

TEST(HttpServerTest, ShutdownBeforeRunStillEndsRun) {
  ServerOptions options;
  options.listen = ListenAddress{"127.0.0.1", 0};
  HttpServer server(options);
  ASSERT_TRUE(server.Listen().ok());
  server.Shutdown();
  EXPECT_TRUE(server.Run().ok());
}

TEST(HttpServerTest, ABusyPortIsAClearError) {
  RunningServer first(AddTestRoutes);
  ServerOptions options;
  options.listen = ListenAddress{"127.0.0.1", first.server().port()};
  HttpServer second(options);
  Status st = second.Listen();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("127.0.0.1:" + std::to_string(first.server().port())),
            std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace saleslake::web
