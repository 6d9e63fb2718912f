// Untrusted bytes on the wire: each input is sent as-is to a real HttpServer (with the generator
// API) over loopback, then the client half-closes and reads until the server closes. The server
// must answer or close, never crash, and keep serving.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
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
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) __builtin_trap();
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
