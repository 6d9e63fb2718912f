// `saleslake serve` and `saleslake up`, and the dashboard server they both run.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "lake/lake.h"
#include "web/dashboard/access.h"
#include "web/dashboard/dashboard_api.h"
#include "web/listen_address.h"
#include "web/server_flags.h"

namespace saleslake::web {

struct DashboardServerOptions {
  std::shared_ptr<lake::Lake> lake;  // opened once by the command; the server and its runs share it
  ListenAddress listen{"127.0.0.1", 8000};
  std::unique_ptr<AccessControl> access;  // null: open (REQUIRES a loopback address)
  ServerFlags server;                     // --workers, --max-connections, --allowed-host
  int64_t poll_micros = 1'000'000;
  DashboardApiOptions api;
  // Called once the server listens, with its URL (e.g. to print it or start ingesting).
  std::function<void(const std::string& url)> on_listening;
  // Called when the first signal asks the server to stop, before the drain.
  std::function<void()> on_stop;
  // False: the caller watches SIGINT/SIGTERM itself (it started threads before the server) and
  // stops the server through the function handed to `set_shutdown` once the server listens;
  // `set_shutdown(nullptr)` is called before the server goes away.
  bool handle_signals = true;
  std::function<void(std::function<void()> shutdown)> set_shutdown;
  // The PostgreSQL wire protocol beside the dashboard (--pg-listen); port < 0: off.
  ListenAddress pg_listen{"127.0.0.1", -1};
  std::string pg_tls_cert, pg_tls_key;
  int pg_max_connections = 64;
  // Called once the PostgreSQL server listens, with its port.
  std::function<void(int port)> on_pg_listening;
};

// Loads the lake, serves the dashboard and its API until SIGINT/SIGTERM.
Status RunDashboardServer(DashboardServerOptions options);

// The access control for a listen address and the --auth-file / --auth flags: the file or JSON
// when given, open on loopback otherwise, and an error naming what to configure elsewhere.
Result<std::unique_ptr<AccessControl>> AccessFromFlags(const ListenAddress& listen,
                                                       const std::string& auth_file,
                                                       const std::string& auth_json);

int ServeCommand(int argc, char** argv);
int UpCommand(int argc, char** argv);

}  // namespace saleslake::web
