// The dashboard's JSON API under /api/v1 (see docs/dashboard.md and /openapi.json), served from
// the SnapshotStore's current snapshot:
//
//   GET  /api/v1/summary        KPIs with change against the previous period (date-aligned)
//   GET  /api/v1/timeseries     sales per day / week / month
//   GET  /api/v1/breakdowns     by brand, category, store or city
//   GET  /api/v1/top-products   best sellers by sales or units
//   GET  /api/v1/filters        values of the filters, the data's date range
//   GET  /api/v1/status         freshness: the last commit (the pages poll it to refresh)
//   GET  /api/v1/runs           runs and their commits, newest first, paged
//   POST /api/v1/runs           run the pipeline now (admin)
//   GET  /api/v1/quarantine     quarantined rows by reason and day; samples (analyst)
//   GET  /api/v1/catalog        tables, columns, partitions, files
//   POST /api/v1/query          read-only SQL (analyst), paged
//   GET  /openapi.json, /readyz
#pragma once

#include <functional>
#include <string>

#include "base/status.h"
#include "web/dashboard/access.h"
#include "web/dashboard/snapshot_store.h"
#include "web/http_server.h"

namespace saleslake::web {

// A read-only SQL answer, one page of it.
struct SqlPage {
  std::vector<std::string> columns;
  std::vector<std::string> types;
  std::vector<std::vector<std::string>> rows;  // JSON literals per cell ("12", "\"a\"", "null")
  bool more = false;                           // rows exist after this page
  double elapsed_ms = 0;
};

struct SqlError {
  std::string message;
  int64_t position = -1;  // byte offset into the SQL, when the engine knows it
};

struct DashboardApiOptions {
  // Runs the pipeline once (extract when a source is configured, transform, crawl). Empty: the
  // "run now" endpoint answers 501.
  std::function<Status()> run_now;
  // Runs read-only SQL: fills a page of `limit` rows from `offset`, or an error. Empty: /query
  // answers 501.
  // `mask_personal_data`: customer names and e-mails masked (roles below analyst).
  std::function<Status(const std::string& sql, size_t offset, size_t limit, SqlPage* page,
                       SqlError* error, bool mask_personal_data)>
      query;
  // Tables as the catalog describes them (JSON array), with schema versions and DDL. Empty: the
  // ledger's view (tables, files, partitions, columns from a file's footer).
  // `mask_personal_data`: statistics (min, max) of personal columns masked.
  std::function<Result<std::string>(const std::string& table, bool mask_personal_data)>
      catalog_json;
  // The dashboard's clock (UTC microseconds) when pinned (`serve --now`); 0: the wall clock.
  int64_t now_micros = 0;
  // The DDL of one table in one dialect. Empty: none.
  std::function<Result<std::string>(const std::string& table, const std::string& dialect)> ddl;
};

class DashboardApi {
 public:
  DashboardApi(SnapshotStore* store, AccessControl* access, DashboardApiOptions options);
  ~DashboardApi();

  void AddRoutes(HttpServer* server);

 private:
  struct RunState;
  void Get(HttpServer* server, const std::string& path, Role role,
           std::function<void(const Request&, Response*)> handler);
  void Post(HttpServer* server, const std::string& path, Role role,
            std::function<void(const Request&, Response*)> handler);
  // The same, for handlers whose answer depends on who asks (masked personal data).
  void Route(HttpServer* server, const std::string& method, const std::string& path, Role role,
             std::function<void(const Request&, Response*, const Principal&)> handler);
  // Error bodies name lake-relative paths: the server's own paths (the lake's directory, the
  // catalog's file) are taken out of every error answer (and of /healthz).
  void HideServerPaths(Response* res) const;

  void Runs(const Request& req, Response* res);
  void RunNow(const Request& req, Response* res);
  void Quarantine(const Request& req, Response* res);
  void Catalog(const Request& req, Response* res, const Principal& who);
  void Query(const Request& req, Response* res, const Principal& who);

  SnapshotStore* store_;
  AccessControl* access_;
  DashboardApiOptions options_;
  std::unique_ptr<RunState> run_;
  std::vector<std::pair<std::string, std::string>> server_paths_;  // path, what to show instead
};

}  // namespace saleslake::web
