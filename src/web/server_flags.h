// Flags that `saleslake serve` and `saleslake api` share, defined once.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "web/http_server.h"

namespace saleslake::web {

struct ServerFlags {
  int workers = 32;
  int max_connections = 512;
  std::vector<std::string> allowed_hosts;
};

// --request-threads N (older name --workers), --max-connections N and --allowed-host NAME
// (repeatable; SALESLAKE_ALLOWED_HOST takes a comma-separated list).
void AddServerFlags(CLI::App* app, ServerFlags* flags);

// Copies the flags into the server's options.
void ApplyServerFlags(const ServerFlags& flags, ServerOptions* options);

}  // namespace saleslake::web
