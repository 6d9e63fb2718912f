// What the dashboard needs from the layers beside the pipeline: the catalog (tables, columns,
// partitions, files, schema versions, DDL) and the SQL engine over the catalog's tables. The
// catalog is brought up to date with the dashboard's snapshot by an incremental crawl the first
// time it is asked for after a new commit (cheap when nothing changed: no footer is read twice).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/lake.h"
#include "sql/pgwire/pg_session.h"
#include "table/lake_table.h"
#include "web/dashboard/dashboard_api.h"
#include "web/dashboard/snapshot_store.h"

namespace saleslake::catalog {
class CatalogStore;
}

namespace saleslake::web {

class LakeServices {
 public:
  LakeServices(std::shared_ptr<lake::Lake> lake, SnapshotStore* store);
  ~LakeServices();

  // Crawls when the snapshot moved past the last crawl.
  Status Sync();

  // One page of a read-only query: rows [offset, offset + limit).
  // `mask_personal_data`: for roles below analyst (sql::QueryOptions::mask_personal_data).
  Status Query(const std::string& sql, size_t offset, size_t limit, SqlPage* page, SqlError* error,
               bool mask_personal_data = false);
  // The catalog's tables (JSON), or one table in full when `table` is not empty; with
  // `mask_personal_data`, the min and max of personal columns masked.
  Result<std::string> CatalogJson(const std::string& table, bool mask_personal_data = false);
  // DDL of one table ("" = every table) in one dialect (athena, trino, spark, hive, duckdb).
  Result<std::string> Ddl(const std::string& table, const std::string& dialect);

  // The tables for the PostgreSQL front: the catalog's, brought up to date first.
  Result<sql::pgwire::LakeTables> PgTables();

  // Wires the three into the API's options.
  void AddTo(DashboardApiOptions* options);

 private:
  std::shared_ptr<lake::Lake> lake_;
  SnapshotStore* store_;
  std::mutex mu_;  // the catalog connection, tables_ and synced_seq_
  std::unique_ptr<catalog::CatalogStore> catalog_;
  std::vector<table::LakeTable> tables_;
  uint64_t synced_seq_ = 0;
  bool synced_ = false;
};

// The crawl as a step after the transform of `saleslake run` (and the dashboard's run now).
Result<std::string> CrawlLake(const lake::Lake& lake);

}  // namespace saleslake::web
