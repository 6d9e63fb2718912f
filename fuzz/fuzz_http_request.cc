// Untrusted bytes on the wire: each input is sent as-is to a real HttpServer (with the generator
// API) over loopback, then the client half-closes and reads until the server closes. The server
// must answer or close, never crash, and keep serving.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>

#include "base/logging.h"
#include "web/http_server.h"
#include "web/sales_api.h"

namespace {

struct Server {
  Server() {
    saleslake::log::Configure(saleslake::log::Format::kText, saleslake::log::Level::kOff);
    saleslake::web::ServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.read_timeout_seconds = 1;
    options.max_request_body_bytes = 4096;
    server = std::make_unique<saleslake::web::HttpServer>(options);
    saleslake::web::SalesApiOptions api;
    api.max_records = 50;  // keeps every answer small: the point is parsing, not generating
    saleslake::web::AddSalesApi(server.get(), api);
    if (!server->Listen().ok()) __builtin_trap();
    thread = std::thread([this] { (void)server->Run(); });
  }
  std::unique_ptr<saleslake::web::HttpServer> server;
  std::thread thread;  // serves for the life of the process
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Server* server = new Server();
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server->server->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Tens of thousands of short connections a minute leave as many TIME_WAIT entries, which would
  // use up the ephemeral ports of one (source, destination) address pair: each input comes from
  // its own loopback source address (127.0.0.0/8 is all loopback) so that none is reused soon.
  static uint32_t next_source = 0;
  const uint32_t k = next_source++ % (250u * 250u * 250u);
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr = htonl((127u << 24) | ((1 + k % 250) << 16) | ((1 + k / 250 % 250) << 8) |
                                 (1 + k / 62500 % 250));
  if (bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof(source)) != 0) __builtin_trap();
  // A refused connection means the server died: that is a finding. Anything else (the kernel
  // short of a resource for a moment) is retried for a while.
  for (int attempt = 0; connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0;
       ++attempt) {
    if (errno == ECONNREFUSED || attempt == 200) {
      std::fprintf(stderr, "connect: %s\n", std::strerror(errno));
      __builtin_trap();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  size_t sent = 0;
  while (sent < size) {
    ssize_t n = send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early on a bad request
    sent += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  char buf[65536];
  while (recv(fd, buf, sizeof(buf), 0) > 0) {
  }
  close(fd);
  return 0;
}
