#include "web/dashboard/serve_command.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "base/cli.h"
#include "base/clock.h"
#include "base/logging.h"
#include "io/file_system.h"
#include "lake/commit_log_store.h"
#include "lake/lake_root.h"
#include "lake/pg_connection.h"
#include "sql/pgwire/pg_server.h"
#include "web/dashboard/lake_services.h"
#include "web/dashboard/pipeline_port.h"
#include "web/dashboard/static_assets.h"
#include "web/dashboard/task_metrics.h"
#include "web/http_server.h"
#include "web/shutdown_signals.h"

namespace saleslake::web {

Result<std::unique_ptr<AccessControl>> AccessFromFlags(const ListenAddress& listen,
                                                       const std::string& auth_file,
                                                       const std::string& auth_json) {
  if (!auth_file.empty() && !auth_json.empty()) {
    return Status::InvalidArgument("give --auth-file or --auth (SALESLAKE_AUTH), not both");
  }
  if (!auth_file.empty()) {
    std::ifstream in(auth_file, std::ios::binary);
    if (!in) return Status::NotFound("--auth-file " + auth_file + ": cannot read it");
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().size() > (1 << 20)) {
      return Status::InvalidArgument("--auth-file " + auth_file + ": larger than 1 MiB");
    }
    return AccessControl::FromJson(text.str(), auth_file);
  }
  if (!auth_json.empty()) return AccessControl::FromJson(auth_json, "--auth");
  if (!IsLoopbackHost(listen.host)) {
    return Status::InvalidArgument(
        "listening on " + listen.ToString() +
        " (reachable from other machines) needs users or API keys: give --auth-file FILE or "
        "SALESLAKE_AUTH (see docs/dashboard.md), or listen on 127.0.0.1");
  }
  return AccessControl::Open();
}

Status RunDashboardServer(DashboardServerOptions options) {
  if (!options.access) {
    if (!IsLoopbackHost(options.listen.host)) {
      return Status::InvalidArgument("an open dashboard may only listen on loopback");
    }
    options.access = AccessControl::Open();
  }
  // The signal watcher comes first: threads started before it (file systems, the first load)
  // would not have the signals blocked, and SIGTERM would end the process instead of a drain.
  std::mutex stop_mu;
  bool stop_requested = false;
  std::function<void()> stop_server;
  std::unique_ptr<ShutdownSignals> signals;
  if (options.handle_signals) {
    signals = std::make_unique<ShutdownSignals>([&](int) {
      std::lock_guard<std::mutex> lock(stop_mu);
      stop_requested = true;
      if (options.on_stop) options.on_stop();
      if (stop_server) stop_server();
    });
  }
  if (options.lake == nullptr) return Status::InvalidArgument("no lake to serve");
  const std::shared_ptr<io::FileSystem>& fs = options.lake->fs();
  ServerOptions server_options;
  server_options.listen = options.listen;
  ApplyServerFlags(options.server, &server_options);
  server_options.max_request_body_bytes = 64 * 1024;  // SQL text and sign-in forms
  HttpServer server(server_options);
  SnapshotStore store(fs, &server.metrics().registry());
  // With the PostgreSQL commit log, /metrics also has the task queue's counts, read per scrape.
  std::unique_ptr<TaskMetrics> task_metrics;
  if (lake::IsPostgresUri(lake::CommitLogFlag())) {
    task_metrics =
        std::make_unique<TaskMetrics>(lake::CommitLogFlag(), &server.metrics().registry());
    server.Route("GET", "/metrics", [&server, &task_metrics](const Request&, Response* res) {
      task_metrics->Refresh();
      res->SetBody(200, std::string(ServerMetrics::kContentType), server.metrics().Render());
    });
  }
  SL_RETURN_IF_ERROR(store.Refresh());
  LakeServices services(options.lake, &store);
  services.AddTo(&options.api);
  DashboardApi api(&store, options.access.get(), std::move(options.api));
  api.AddRoutes(&server);
  AddStaticAssets(&server);
  std::unique_ptr<sql::pgwire::PgServer> pg;
  std::thread pg_thread;
  if (options.pg_listen.port >= 0) {
    if (options.access->open() && !IsLoopbackHost(options.pg_listen.host)) {
      return Status::InvalidArgument(
          "--pg-listen " + options.pg_listen.ToString() +
          " (reachable from other machines) needs users or API keys: give --auth-file FILE or "
          "SALESLAKE_AUTH (see docs/pg-wire.md), or listen on 127.0.0.1");
    }
    sql::pgwire::PgServerOptions pg_options;
    pg_options.host = options.pg_listen.host;
    pg_options.port = options.pg_listen.port;
    pg_options.credentials = options.access->credentials();
    pg_options.tls_cert = options.pg_tls_cert;
    pg_options.tls_key = options.pg_tls_key;
    pg_options.max_connections = options.pg_max_connections;
    pg_options.tables = [&services] { return services.PgTables(); };
    pg = std::make_unique<sql::pgwire::PgServer>(std::move(pg_options));
    SL_RETURN_IF_ERROR(pg->Listen());
  }
  auto stop_all = [&server, &pg] {
    server.Shutdown();
    if (pg) pg->Shutdown();
  };
  {
    std::lock_guard<std::mutex> lock(stop_mu);
    stop_server = stop_all;
    if (stop_requested) stop_all();
  }
  if (options.set_shutdown) options.set_shutdown(stop_all);
  SL_RETURN_IF_ERROR(server.Listen());
  if (pg) {
    pg_thread = std::thread([&pg] { pg->Run(); });
    log::Info("serve.pg_listening",
              {{"port", std::to_string(pg->port())}, {"host", options.pg_listen.host}});
    if (options.on_pg_listening) options.on_pg_listening(pg->port());
  }
  store.StartPolling(options.poll_micros);
  log::Info("serve.listening", {{"url", server.url()},
                                {"lake", fs->root_uri()},
                                {"auth", options.access->open() ? "open" : "required"}});
  if (options.on_listening) options.on_listening(server.url());
  Status st = server.Run();
  {
    std::lock_guard<std::mutex> lock(stop_mu);
    stop_server = nullptr;
  }
  if (pg) {
    pg->Shutdown();
    if (pg_thread.joinable()) pg_thread.join();
  }
  store.Stop();
  if (options.set_shutdown) options.set_shutdown(nullptr);
  return st;
}

int ServeCommand(int argc, char** argv) {
  CLI::App app{
      "Serve the dashboard (Overview, SQL console, Catalog, Pipeline) and its JSON API "
      "(/api/v1/..., /openapi.json, /healthz, /readyz, /metrics) over the lake. Numbers come "
      "from the rollups, held in memory and reloaded when a new commit lands. On loopback with no "
      "users configured it is open; anywhere else it needs --auth-file (or SALESLAKE_AUTH)."};
  std::string lake, listen = "127.0.0.1:8000", auth_file, auth_json, poll = "1s", run_api;
  std::string pg_listen, pg_tls_cert, pg_tls_key, now;
  int run_batches = 1, pg_max_connections = 64;
  ServerFlags server_flags;
  bool hash_password = false, new_api_key = false;
  AddLakeFlag(&app, &lake);
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")
      ->default_val(listen);
  app.add_option("--auth-file", auth_file,
                 "users and API keys (JSON, see docs/dashboard.md); required off loopback");
  app.add_option("--auth", auth_json, "the same JSON inline (usually from SALESLAKE_AUTH)");
  AddServerFlags(&app, &server_flags);
  app.add_option("--poll", poll, "how often to look for a new commit")->default_val(poll);
  app.add_option("--run-api", run_api,
                 "\"run now\" extracts from this API (then transforms); without it, run now "
                 "transforms pending batches");
  app.add_option("--run-batches", run_batches, "batches per \"run now\" with --run-api")
      ->default_val(run_batches)
      ->check(CLI::Range(1, 1000));
  app.add_option("--pg-listen", pg_listen,
                 "also speak the PostgreSQL wire protocol on HOST:PORT (e.g. 127.0.0.1:5433) for "
                 "psql and BI tools (docs/pg-wire.md)");
  app.add_option("--pg-tls-cert", pg_tls_cert, "PEM certificate (chain) for TLS on --pg-listen");
  app.add_option("--pg-tls-key", pg_tls_key, "PEM private key for TLS on --pg-listen");
  app.add_option("--pg-max-connections", pg_max_connections,
                 "PostgreSQL connections served at once")
      ->default_val(pg_max_connections)
      ->check(CLI::Range(1, 1000));
  app.add_option("--now", now,
                 "answer as if the clock read this ISO 8601 instant (the end of a period that ends "
                 "today, and of the earlier period it is compared with)");
  app.add_flag("--hash-password", hash_password,
               "read a password from stdin, print its password_hash for the auth file, exit");
  app.add_flag("--new-api-key", new_api_key,
               "print a new API key and its key_sha256 for the auth file, exit");
  return RunCommand(
      app, "serve",
      "saleslake serve --lake ./lake --listen 127.0.0.1:8000     # then open the URL\n"
      "  saleslake serve --listen 0.0.0.0:8000 --auth-file auth.json\n"
      "  saleslake serve --pg-listen 127.0.0.1:5433   # then: psql -h 127.0.0.1 -p 5433",
      argc, argv, [&]() -> Status {
        if (hash_password) {
          std::string password;
          std::getline(std::cin, password);
          if (password.empty()) return Status::InvalidArgument("no password on stdin");
          std::printf("%s\n", HashPassword(password).c_str());
          return Status::OK();
        }
        if (new_api_key) {
          auto [key, hash] = NewApiKey();
          std::printf("key:        %s\nkey_sha256: %s\n", key.c_str(), hash.c_str());
          return Status::OK();
        }
        DashboardServerOptions options;
        // The lake is opened once: the snapshots, the catalog, the SQL console and "run now" all
        // go through this handle.
        SL_ASSIGN_OR_RETURN(options.lake, saleslake::lake::Lake::Open(lake));
        SL_RETURN_IF_ERROR(saleslake::lake::CheckLakeExists(*options.lake->fs(), lake));
        SL_ASSIGN_OR_RETURN(options.listen, ParseListenAddress(listen));
        SL_ASSIGN_OR_RETURN(options.access, AccessFromFlags(options.listen, auth_file, auth_json));
        SL_ASSIGN_OR_RETURN(options.poll_micros, ParseDurationMicros(poll));
        options.server = server_flags;
        if (!now.empty()) {
          Result<int64_t> pinned = ParseIso8601Micros(now);
          if (!pinned.ok()) {
            return Status::InvalidArgument("--now: " + pinned.status().message() +
                                           " (use e.g. 2026-03-20T13:20:00Z)");
          }
          options.api.now_micros = *pinned;
        }
        if (!pg_listen.empty()) {
          SL_ASSIGN_OR_RETURN(options.pg_listen, ParseListenAddress(pg_listen));
          options.pg_tls_cert = pg_tls_cert;
          options.pg_tls_key = pg_tls_key;
          options.pg_max_connections = pg_max_connections;
          options.on_pg_listening = [host = options.pg_listen.host](int port) {
            std::printf("saleslake serve: PostgreSQL protocol on %s:%d  (psql -h %s -p %d)\n",
                        host.c_str(), port, host.c_str(), port);
            std::fflush(stdout);
          };
        } else if (!pg_tls_cert.empty() || !pg_tls_key.empty()) {
          return Status::InvalidArgument("--pg-tls-cert/--pg-tls-key need --pg-listen");
        }
        DashboardRunOptions once{options.lake, run_api, run_batches};
        options.api.run_now = [once]() { return RunDashboardPipeline(once).status(); };
        options.on_listening = [](const std::string& url) {
          std::printf("saleslake serve: dashboard at %s/  (API %s/api/v1/, Ctrl-C to stop)\n",
                      url.c_str(), url.c_str());
          std::fflush(stdout);
        };
        return RunDashboardServer(std::move(options));
      });
}

}  // namespace saleslake::web
