// The server under hostile clients, over raw sockets: DNS rebinding, smuggling-shaped framing,
// bodies that never end, slowloris, too many connections.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "web/http_server.h"
#include "web/testing/http_test_client.h"
#include "web/testing/raw_client.h"
#include "web/testing/running_server.h"

namespace saleslake::web {
namespace {

using testing::HttpTestClient;
using testing::RawClient;
using testing::RunningServer;
using testing::StatusOf;

void AddRoutes(HttpServer* server) {
  server->Route("POST", "/echo", [](const Request& req, Response* res) {
    res->SetBody(200, "text/plain", req.body());
  });
  server->Route("GET", "/small",
                [](const Request&, Response* res) { res->SetBody(200, "text/plain", "hello"); });
}

std::string Host(const RunningServer& s, const std::string& name) {
  return name + ":" + std::to_string(const_cast<RunningServer&>(s).server().port());
}

// Peak resident memory of this process (kB), from /proc.
long PeakRssKb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(HostileHttpTest, DnsRebindingHostIsRefused) {
  RunningServer running(AddRoutes);
  const int port = running.server().port();
  {
    RawClient c(port);
    ASSERT_TRUE(
        c.Send("GET /small HTTP/1.1\r\nHost: " + Host(running, "evil.example") + "\r\n\r\n"));
    const std::string reply = c.ReadUntil("}}");
    EXPECT_EQ(StatusOf(reply), 421) << reply;
    EXPECT_NE(reply.find("--allowed-host evil.example"), std::string::npos) << reply;
  }
  for (const char* name : {"localhost", "127.0.0.1", "[::1]"}) {
    RawClient c(port);
    ASSERT_TRUE(c.Send("GET /small HTTP/1.1\r\nHost: " + Host(running, name) + "\r\n\r\n"));
    EXPECT_EQ(StatusOf(c.ReadUntil("hello")), 200) << name;
  }
  // A POST with the attacker's Host is refused before its body is read.
  RawClient post(port);
  ASSERT_TRUE(post.Send("POST /echo HTTP/1.1\r\nHost: " + Host(running, "evil.example") +
                        "\r\nOrigin: http://" + Host(running, "evil.example") +
                        "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"));
  EXPECT_EQ(StatusOf(post.ReadUntil("}}")), 421);
}

TEST(HostileHttpTest, AllowedHostFlagAcceptsThatName) {
  ServerOptions options;
  options.allowed_hosts = {"sales.example.com"};
  RunningServer running(AddRoutes, options);
  RawClient c(running.server().port());
  ASSERT_TRUE(c.Send("GET /small HTTP/1.1\r\nHost: sales.example.com\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadUntil("hello")), 200);
}

TEST(HostileHttpTest, LenientFramingIsRefusedAndTheConnectionClosed) {
  RunningServer running(AddRoutes);
  const std::string start = "POST /echo HTTP/1.1\r\nHost: " + Host(running, "localhost") + "\r\n";
  struct Case {
    const char* name;
    std::string bytes;
    int status;
  };
  const Case cases[] = {
      {"Content-Length with Transfer-Encoding",
       start + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"two different Content-Lengths", start + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
       400},
      {"space before the colon", start + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400},
      {"unknown transfer coding", start + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 501},
      {"NUL in a header", start + "X-Note: a" + std::string(1, '\0') + "b\r\n\r\n", 400},
      {"control byte in a header",
       start + "X-Note: a\x01"
               "b\r\n\r\n",
       400},
  };
  for (const Case& c : cases) {
    RawClient client(running.server().port());
    ASSERT_TRUE(client.Send(c.bytes)) << c.name;
    bool closed = false;
    const std::string reply = client.ReadUntilClose(std::chrono::seconds(30), &closed);
    EXPECT_EQ(StatusOf(reply), c.status) << c.name << "\n" << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << c.name;
    EXPECT_NE(reply.find("{\"error\":"), std::string::npos) << c.name;
    EXPECT_TRUE(closed) << c.name;
  }
  // The server still serves.
  HttpTestClient client;
  auto r = client.Get(running.Url("/small"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
}

// Streams a chunked body of `total` bytes (never held in memory) until the server answers; returns
// the answer and sets *sent to the bytes the socket accepted.
std::string StreamChunkedUntilAnswered(RawClient* c, const std::string& head, uint64_t total,
                                       uint64_t* sent) {
  if (!c->Send(head)) return "";
  // Small chunks: the limit is passed by adding them up, not by one chunk's declared size.
  const std::string piece = std::string(16 * 1024, 'x');
  const std::string chunk = "4000\r\n" + piece + "\r\n";
  std::string reply;
  size_t offset = 0;  // into `chunk`
  *sent = 0;
  char buf[4096];
  while (true) {
    const bool more = *sent < total;
    pollfd p{c->fd(), static_cast<short>(POLLIN | (more ? POLLOUT : 0)), 0};
    if (poll(&p, 1, 30'000) <= 0) break;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = recv(c->fd(), buf, sizeof(buf), 0);
      if (n <= 0) break;
      reply.append(buf, static_cast<size_t>(n));
      if (reply.find("}}") != std::string::npos) break;
      continue;
    }
    const ssize_t n =
        send(c->fd(), chunk.data() + offset, chunk.size() - offset, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) {
      // Closed by the server: what it said is still readable.
      reply += c->ReadUntil("}}", std::chrono::seconds(5));
      break;
    }
    *sent += static_cast<uint64_t>(n);
    offset = (offset + static_cast<size_t>(n)) % chunk.size();
  }
  return reply;
}

TEST(HostileHttpTest, HugeChunkedBodyGets413EarlyInBoundedMemory) {
  ServerOptions options;
  options.max_request_body_bytes = 64 * 1024;  // as `serve` has
  RunningServer running(AddRoutes, options);
  const long before = PeakRssKb();
  RawClient c(running.server().port());
  uint64_t sent = 0;
  const uint64_t total = uint64_t{600} << 20;
  const std::string reply =
      StreamChunkedUntilAnswered(&c,
                                 "POST /echo HTTP/1.1\r\nHost: " + Host(running, "localhost") +
                                     "\r\nTransfer-Encoding: chunked\r\n\r\n",
                                 total, &sent);
  const long after = PeakRssKb();
  EXPECT_EQ(StatusOf(reply), 413) << reply;
  EXPECT_NE(reply.find("65536"), std::string::npos) << reply;
  EXPECT_LT(sent, total / 4) << "the server kept reading";
  ASSERT_GT(before, 0);
  EXPECT_LT(after - before, 64 * 1024) << "peak RSS grew from " << before << " kB to " << after;
}

TEST(HostileHttpTest, ABodyOnARouteThatTakesNoneIsNotRead) {
  RunningServer running(AddRoutes);
  const std::string host = Host(running, "localhost");
  // A 50 MiB declared body to a GET-only path: 405 from the head alone.
  {
    RawClient c(running.server().port());
    ASSERT_TRUE(
        c.Send("POST /small HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 52428800\r\n\r\n"));
    const std::string reply = c.ReadUntil("}}");
    EXPECT_EQ(StatusOf(reply), 405) << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos);
  }
  // An endless chunked body to the same path, and a body on a GET route.
  for (const std::string& head :
       {"POST /small HTTP/1.1\r\nHost: " + host + "\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET /small HTTP/1.1\r\nHost: " + host + "\r\nTransfer-Encoding: chunked\r\n\r\n"}) {
    RawClient c(running.server().port());
    uint64_t sent = 0;
    const std::string reply = StreamChunkedUntilAnswered(&c, head, uint64_t{600} << 20, &sent);
    const int status = StatusOf(reply);
    EXPECT_TRUE(status == 405 || status == 413) << reply;
    EXPECT_LT(sent, uint64_t{150} << 20);
  }
}

TEST(HostileHttpTest, HealthzAnsweredWhile256SlowlorisConnectionsAreOpen) {
  ServerOptions options;
  options.worker_threads = 4;  // far fewer workers than attackers
  RunningServer running(AddRoutes, options);
  std::vector<std::unique_ptr<RawClient>> attackers;
  for (int i = 0; i < 256; ++i) {
    attackers.push_back(std::make_unique<RawClient>(running.server().port()));
    ASSERT_TRUE(attackers.back()->connected());
    ASSERT_TRUE(attackers.back()->Send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-a: 1\r\n"));
  }
  // One more header line each, as a slowloris client does every few seconds.
  for (auto& a : attackers) ASSERT_TRUE(a->Send("X-b: 2\r\n"));
  HttpTestClient client;
  auto r = client.Get(running.Url("/healthz"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  auto metrics = client.Get(running.Url("/metrics"));
  ASSERT_TRUE(metrics.ok());
  const std::string gauge = "\nsaleslake_http_connections_open ";
  const size_t at = metrics->body.find(gauge);
  ASSERT_NE(at, std::string::npos);
  EXPECT_GE(std::stod(metrics->body.substr(at + gauge.size())), 256);
}

TEST(HostileHttpTest, ASlowHeadIsCutWith408) {
  ServerOptions options;
  options.read_timeout_seconds = 1;
  RunningServer running(AddRoutes, options);
  RawClient c(running.server().port());
  ASSERT_TRUE(c.Send("GET /small HTTP/1.1\r\nHost: localhost\r\n"));
  bool closed = false;
  const std::string reply = c.ReadUntilClose(std::chrono::seconds(30), &closed);
  EXPECT_EQ(StatusOf(reply), 408) << reply;
  EXPECT_TRUE(closed);
}

TEST(HostileHttpTest, ConnectionsOverTheLimitGet503) {
  ServerOptions options;
  options.max_connections = 8;
  RunningServer running(AddRoutes, options);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 8; ++i) {
    held.push_back(std::make_unique<RawClient>(running.server().port()));
    ASSERT_TRUE(held.back()->connected());
  }
  // The eight are accepted before the ninth: the listener's queue is in order.
  RawClient extra(running.server().port());
  bool closed = false;
  const std::string reply = extra.ReadUntilClose(std::chrono::seconds(30), &closed);
  EXPECT_EQ(StatusOf(reply), 503) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos);
  EXPECT_NE(reply.find("too many connections"), std::string::npos);
  EXPECT_TRUE(closed);
  held.clear();
  // Once they are gone, the server takes new connections again (the loop notices the closes).
  for (int attempt = 0; attempt < 100; ++attempt) {
    HttpTestClient client;
    auto r = client.Get(running.Url("/small"));
    if (r.ok() && r->status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "never served after the held connections closed";
}

TEST(HostileHttpTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer running(AddRoutes);
  RawClient c(running.server().port());
  const std::string host = Host(running, "localhost");
  ASSERT_TRUE(c.Send("GET /small HTTP/1.1\r\nHost: " + host +
                     "\r\n\r\nPOST /echo HTTP/1.1\r\nHost: " + host +
                     "\r\nContent-Length: 5\r\n\r\nworldGET /small HTTP/1.1\r\nHost: " + host +
                     "\r\nConnection: close\r\n\r\n"));
  const std::string reply = c.ReadUntilClose();
  const size_t first = reply.find("hello");
  const size_t second = reply.find("world");
  const size_t third = reply.find("hello", first + 1);
  EXPECT_TRUE(first < second && second < third && third != std::string::npos) << reply;
}

TEST(HostileHttpTest, ExpectContinueGets100BeforeTheBody) {
  RunningServer running(AddRoutes);
  RawClient c(running.server().port());
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: " + Host(running, "localhost") +
                     "\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_TRUE(c.ReadUntil("\r\n\r\n").starts_with("HTTP/1.1 100 Continue"));
  ASSERT_TRUE(c.Send("hello"));
  EXPECT_EQ(StatusOf(c.ReadUntil("hello")), 200);
}

}  // namespace
}  // namespace saleslake::web
