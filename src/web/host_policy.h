// HostPolicy: which Host values and Origins name this server — the defence against DNS
// rebinding. A page on evil.example that rebinds its name to 127.0.0.1 reaches a loopback server
// with "Host: evil.example:PORT" and, being same-origin with itself, "Origin:
// http://evil.example:PORT". So the Host is checked against names the server knows, and the
// Origin of a state-changing request against the server's own origins, never against the Host.
//
// Accepted names: localhost, 127.0.0.1, [::1], the --listen host, any IP literal when listening
// on every interface (a literal cannot be rebound), and the names of --allowed-host (NAME accepts
// any port, NAME:PORT that port only; "*" accepts every Host and turns the defence off). The
// built-in names must come with the server's port (or none, when it is the scheme's default).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace saleslake::web {

class HostPolicy {
 public:
  HostPolicy() = default;
  // `listen_host` as given to --listen (without brackets); `port` the bound port.
  HostPolicy(std::string listen_host, int port, const std::vector<std::string>& allowed);

  // Checks one --allowed-host value: a host name or IP, optionally with :PORT, or "*".
  static Status ValidateAllowedHost(std::string_view value);

  // A Host header value (or the authority of an absolute-form target).
  bool AllowsHost(std::string_view authority) const;
  // An Origin header value: "http://localhost:8000". "null" is never one of ours.
  bool IsOwnOrigin(std::string_view origin) const;

 private:
  struct Name {
    std::string host;  // lower case, IPv6 without brackets
    int port = -1;     // -1: any port
  };
  bool Allows(std::string_view authority, int default_port) const;

  std::string listen_host_;
  int port_ = -1;
  bool wildcard_listen_ = false;
  bool any_host_ = false;
  std::vector<Name> allowed_;
};

}  // namespace saleslake::web
