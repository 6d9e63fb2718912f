#include "web/host_policy.h"

#include <arpa/inet.h>

#include <charconv>

#include "base/strings.h"

namespace saleslake::web {
namespace {

// Splits "host", "host:port", "[v6]" or "[v6]:port". Port -1 when absent (or empty, as RFC 3986
// allows). False when malformed.
bool SplitAuthority(std::string_view authority, std::string* host, int* port) {
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    *host = Lower(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return false;
    if (!rest.empty()) port_text = rest.substr(1);
    in6_addr v6;
    if (inet_pton(AF_INET6, host->c_str(), &v6) != 1) return false;
  } else {
    const size_t colon = authority.find(':');
    *host = Lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    // reg-name characters (RFC 3986): letters, digits, and a few marks; no '@', '/', space.
    for (char c : *host) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                      c == '_' || c == '~';
      if (!ok) return false;
    }
  }
  if (host->empty()) return false;
  *port = -1;
  if (!port_text.empty()) {
    int p = -1;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || p < 0 || p > 65535 ||
        port_text.front() == '+') {
      return false;
    }
    *port = p;
  }
  return true;
}

bool IsIpLiteral(const std::string& host) {
  in_addr v4;
  in6_addr v6;
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

}  // namespace

HostPolicy::HostPolicy(std::string listen_host, int port, const std::vector<std::string>& allowed)
    : listen_host_(Lower(listen_host)), port_(port) {
  wildcard_listen_ = listen_host_ == "0.0.0.0" || listen_host_ == "::" || listen_host_.empty();
  for (const std::string& value : allowed) {
    if (value == "*") {
      any_host_ = true;
      continue;
    }
    Name name;
    if (SplitAuthority(value, &name.host, &name.port)) allowed_.push_back(std::move(name));
  }
}

Status HostPolicy::ValidateAllowedHost(std::string_view value) {
  std::string host;
  int port = -1;
  if (value == "*" || SplitAuthority(value, &host, &port)) return Status::OK();
  return Status::InvalidArgument("bad --allowed-host '" + std::string(value.substr(0, 100)) +
                                 "': give a host name or IP address, optionally with :PORT "
                                 "(e.g. sales.example.com or sales.example.com:8443)");
}

bool HostPolicy::Allows(std::string_view authority, int default_port) const {
  if (any_host_) return true;
  std::string host;
  int port = -1;
  if (!SplitAuthority(authority, &host, &port)) return false;
  const bool our_port = port == port_ || (port == -1 && port_ == default_port);
  if (host == "localhost" || host == "127.0.0.1" || host == "::1" || host == listen_host_) {
    return our_port;
  }
  if (wildcard_listen_ && IsIpLiteral(host)) return our_port;
  for (const Name& name : allowed_) {
    if (name.host != host) continue;
    if (name.port == -1 || name.port == port || (port == -1 && name.port == default_port)) {
      return true;
    }
  }
  return false;
}

bool HostPolicy::AllowsHost(std::string_view authority) const { return Allows(authority, 80); }

bool HostPolicy::IsOwnOrigin(std::string_view origin) const {
  if (any_host_ && origin != "null") return true;
  const std::string lowered = Lower(origin.substr(0, 8));
  if (lowered.starts_with("http://")) return Allows(origin.substr(7), 80);
  if (lowered.starts_with("https://")) return Allows(origin.substr(8), 443);
  return false;
}

}  // namespace saleslake::web
