#include "web/server_flags.h"

namespace saleslake::web {

void AddServerFlags(CLI::App* app, ServerFlags* flags) {
  // --workers is the older name: kept on serve and api, while everywhere else (transform, run)
  // --workers means worker processes; the environment variable is SALESLAKE_REQUEST_THREADS.
  app->add_option("--request-threads,--workers", flags->workers,
                  "requests answered at once (idle and slow connections hold no thread)")
      ->default_val(flags->workers)
      ->check(CLI::Range(1, 1024));
  app->add_option("--max-connections", flags->max_connections,
                  "connections open at once, idle ones included; more get 503")
      ->default_val(flags->max_connections)
      ->check(CLI::Range(1, 100'000));
  app->add_option("--allowed-host", flags->allowed_hosts,
                  "a host name (NAME or NAME:PORT) clients may use in the Host header besides "
                  "localhost, 127.0.0.1, [::1] and the --listen address; repeatable (other "
                  "names get 421: DNS rebinding defence)")
      ->delimiter(',')
      ->take_all();
}

void ApplyServerFlags(const ServerFlags& flags, ServerOptions* options) {
  options->worker_threads = flags.workers;
  options->max_connections = flags.max_connections;
  options->allowed_hosts = flags.allowed_hosts;
}

}  // namespace saleslake::web
