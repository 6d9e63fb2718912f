#include "web/api_command.h"

#include <cstdio>
#include <string>

#include "base/cli.h"
#include "base/logging.h"
#include "generator/catalog.h"
#include "generator/generator.h"
#include "web/http_server.h"
#include "web/listen_address.h"
#include "web/sales_api.h"
#include "web/server_flags.h"
#include "web/shutdown_signals.h"

namespace saleslake {

int ApiCommand(int argc, char** argv) {
  CLI::App app{
      "Serve the sales generator over HTTP: GET /v1/sales returns fresh sale records (10,000 by "
      "default, as a JSON array; ?records=&seed=&now=&days=&dirty=&format=json|ndjson"
      "&envelope=none|lambda). Also /healthz, /metrics (Prometheus) and /openapi.json. SIGINT or "
      "SIGTERM stops accepting, lets responses in flight finish, and exits 0."};
  std::string listen = "127.0.0.1:8080";
  uint64_t max_records = 1'000'000;
  web::ServerFlags server_flags;
  std::string products;
  std::string stores;
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")
      ->default_val(listen);
  app.add_option("--max-records", max_records, "most records one call may ask for")
      ->default_val(max_records)
      ->check(CLI::Range(uint64_t{1}, generator::kMaxRecords));
  web::AddServerFlags(&app, &server_flags);
  auto* products_opt =
      app.add_option("--products", products, "products.json in the seed's format (with --stores)");
  auto* stores_opt =
      app.add_option("--stores", stores, "stores.json in the seed's format (with --products)");
  products_opt->needs(stores_opt);
  stores_opt->needs(products_opt);

  return RunCommand(
      app, "api",
      "saleslake api --listen 127.0.0.1:8080 &\n"
      "  curl 'http://127.0.0.1:8080/v1/sales?records=3&seed=42'",
      argc, argv, [&]() -> Status {
        SL_ASSIGN_OR_RETURN(web::ListenAddress address, web::ParseListenAddress(listen));
        web::SalesApiOptions api;
        api.max_records = max_records;
        if (!products.empty()) {
          SL_ASSIGN_OR_RETURN(api.catalog, generator::LoadCatalogFiles(products, stores));
        }
        if (!web::IsLoopbackHost(address.host)) {
          log::Warn("api.public_listen",
                    {{"host", address.host},
                     {"note",
                      "the generator API has no authentication; anyone who can reach "
                      "this address can use it"}});
        }
        web::ServerOptions options;
        options.listen = address;
        web::ApplyServerFlags(server_flags, &options);
        web::HttpServer server(options);
        web::AddSalesApi(&server, std::move(api));
        // Before Listen and Run: the server's threads inherit the blocked signal mask.
        web::ShutdownSignals signals([&server](int) { server.Shutdown(); });
        SL_RETURN_IF_ERROR(server.Listen());
        std::printf(
            "saleslake api: serving %s  (GET /v1/sales, /openapi.json, /metrics; "
            "Ctrl-C to stop)\n",
            server.url().c_str());
        std::fflush(stdout);
        return server.Run();
      });
}

}  // namespace saleslake
