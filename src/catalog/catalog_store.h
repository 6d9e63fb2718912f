// CatalogStore: the catalog database (SQLite, schema in catalog_schema.cc and docs/catalog.md)
// opened and migrated, with the reads that `saleslake catalog`, the SQL engine and the dashboard
// need. Writing is the crawler's job (crawler.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/sqlite_db.h"
#include "table/lake_table.h"

namespace saleslake::catalog {

struct TableSummary {
  std::string name;
  std::string layer;
  std::string location;
  std::vector<std::string> aliases;
  std::vector<std::string> partition_keys;
  int64_t schema_version = 0;
  int64_t files = 0;
  int64_t rows = 0;
  int64_t bytes = 0;
  int64_t partitions = 0;
  int64_t problem_files = 0;
  int64_t updated_at = 0;
};

struct ColumnSummary {
  std::string name;
  std::string type;  // lake::LakeTypeName
  bool nullable = true;
  bool is_partition_key = false;
  std::optional<int64_t> null_count;  // over the table's files, when every file said
  std::optional<std::string> min;
  std::optional<std::string> max;
};

struct TableDescription {
  TableSummary table;
  std::vector<ColumnSummary> columns;  // current version: data columns, then partition keys
};

struct PartitionColumnStats {
  std::string column;
  std::optional<int64_t> null_count;
  std::optional<std::string> min;
  std::optional<std::string> max;
};

struct PartitionSummary {
  std::string partition;  // "year=2026/month=05/day=01", "" for an unpartitioned table
  int64_t files = 0;
  int64_t rows = 0;
  int64_t bytes = 0;
  std::vector<PartitionColumnStats> columns;
};

struct SchemaVersionSummary {
  int64_t version = 0;
  int64_t created_at = 0;
  int64_t run_id = 0;
  std::string change;
  std::string first_file;
  int64_t files = 0;  // committed files now at this version
  std::vector<ColumnSummary> columns;
};

struct ProblemSummary {
  std::string kind, table, path, detail;
};

class CatalogStore {
 public:
  // Opens the catalog at `path` and brings its schema up to date. With `create` false a missing
  // file is NotFound ("run 'saleslake crawl' first").
  static Result<std::unique_ptr<CatalogStore>> Open(const std::string& path, bool create);

  SqliteDb& db() { return *db_; }
  const std::string& path() const { return db_->path(); }

  Result<std::vector<TableSummary>> Tables();
  // By name or alias; NotFound lists the known names.
  Result<TableDescription> Describe(const std::string& name);
  Result<std::vector<PartitionSummary>> Partitions(const std::string& name);
  Result<std::vector<SchemaVersionSummary>> History(const std::string& name);
  Result<std::vector<ProblemSummary>> Problems();
  // Every table with at least one readable file, as the SQL engine takes them: current columns,
  // partition keys, committed readable files (sorted by path), aliases.
  Result<std::vector<table::LakeTable>> LakeTables();

  // The canonical name of a table or alias, or NotFound.
  Result<std::string> ResolveName(const std::string& name);

 private:
  explicit CatalogStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  Result<std::vector<ColumnSummary>> VersionColumns(const std::string& table, int64_t version);
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace saleslake::catalog
