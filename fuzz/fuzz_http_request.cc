// Untrusted bytes on the wire, two ways:
//   - the request parser alone, fed all at once and again in pieces (sizes picked by the input's
//     last byte): both must reach the same outcome (a parser that depends on how bytes arrive is
//     a smuggling bug), stay within its caps, and the Host/Origin policy and the access log's
//     redaction must take whatever it produced;
//   - each input sent as-is to a real HttpServer (with the generator API) over loopback, then the
//     client half-closes and reads until the server closes. The server must answer or close,
//     never crash, and keep serving.
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
#include <string>
#include <thread>

#include "base/logging.h"
#include "web/access_log.h"
#include "web/host_policy.h"
#include "web/http_parser.h"
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
    options.allowed_hosts = {"x"};  // the seeds' Host; others get 421
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

struct Outcome {
  saleslake::web::RequestParser::Step step;
  int status;
  std::string method, path, authority, body, left;
};

Outcome ParseInPieces(std::string_view bytes, size_t piece) {
  using saleslake::web::RequestParser;
  saleslake::web::ParseLimits limits;
  limits.max_body_bytes = 4096;
  limits.max_head_bytes = 2048;
  limits.max_request_line = 1024;
  RequestParser parser(limits);
  std::string input;
  size_t fed = 0;
  RequestParser::Step step;
  while (true) {
    step = parser.Advance(&input);
    if (parser.request().body.size() > limits.max_body_bytes) __builtin_trap();
    if (input.size() > limits.max_head_bytes + piece + 4096) __builtin_trap();
    if (step == RequestParser::Step::kDone || step == RequestParser::Step::kFailed) break;
    if (step == RequestParser::Step::kHead) continue;
    if (fed == bytes.size()) break;
    const size_t n = std::min(piece, bytes.size() - fed);
    input.append(bytes.substr(fed, n));
    fed += n;
  }
  const saleslake::web::HttpRequest& r = parser.request();
  if (step == RequestParser::Step::kDone) {
    saleslake::web::HostPolicy hosts("127.0.0.1", 8080, {"x", "sales.example:8443"});
    (void)hosts.AllowsHost(r.authority);
    (void)hosts.IsOwnOrigin(r.Header("Origin"));
    (void)saleslake::web::RedactQuery(r.query);
  }
  return {step,
          parser.error().status,
          r.method,
          r.path,
          r.authority,
          r.body,
          input + std::string(bytes.substr(fed))};
}

void CheckParser(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Outcome whole = ParseInPieces(bytes, SIZE_MAX);
  const size_t piece = size == 0 ? 1 : 1 + data[size - 1] % 17;
  const Outcome pieces = ParseInPieces(bytes, piece);
  if (whole.step != pieces.step) __builtin_trap();
  if (whole.step == saleslake::web::RequestParser::Step::kFailed) {
    // The same refusal; where exactly it was noticed may differ only for caps on partial input.
    if (whole.status != pieces.status && whole.status != 414 && whole.status != 431 &&
        pieces.status != 414 && pieces.status != 431) {
      __builtin_trap();
    }
    return;
  }
  if (whole.method != pieces.method || whole.path != pieces.path ||
      whole.authority != pieces.authority || whole.body != pieces.body ||
      (whole.step == saleslake::web::RequestParser::Step::kDone && whole.left != pieces.left)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckParser(data, size);
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
