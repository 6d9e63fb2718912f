// The --listen flag: "host:port", "[v6-address]:port". Port 0 asks the kernel for a free port.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::web {

struct ListenAddress {
  std::string host;  // without brackets: "127.0.0.1", "::1", "localhost", "0.0.0.0"
  int port = 0;      // 0..65535

  // "127.0.0.1:8080", "[::1]:8080": the form a URL needs.
  std::string ToString() const;
};

Result<ListenAddress> ParseListenAddress(std::string_view text);

// True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost).
bool IsLoopbackHost(std::string_view host);

}  // namespace saleslake::web
