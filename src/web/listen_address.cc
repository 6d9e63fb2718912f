#include "web/listen_address.h"

#include <charconv>

namespace saleslake::web {
namespace {

Status BadAddress(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("bad listen address '" + std::string(text) +
                                 "': " + std::string(why) +
                                 " (use HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080)");
}

}  // namespace

std::string ListenAddress::ToString() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress address;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return BadAddress(text, "missing ']'");
    address.host = std::string(text.substr(1, close - 1));
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      return BadAddress(text, "missing ':PORT' after ']'");
    }
    port_text = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return BadAddress(text, "missing ':PORT'");
    address.host = std::string(text.substr(0, colon));
    if (address.host.find(':') != std::string::npos) {
      return BadAddress(text, "an IPv6 address needs brackets");
    }
    port_text = text.substr(colon + 1);
  }
  if (address.host.empty()) return BadAddress(text, "missing host");
  int port = -1;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535) {
    return BadAddress(text, "the port must be a number from 0 to 65535");
  }
  address.port = port;
  return address;
}

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

}  // namespace saleslake::web
