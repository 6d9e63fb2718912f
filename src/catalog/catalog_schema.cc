#include "catalog/catalog_schema.h"

#include <fmt/format.h>

namespace saleslake::catalog {
namespace {

// Times are microseconds since the epoch (UTC). A table's current columns are those of its
// latest schema version.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE catalog_info (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE tables (
  name               TEXT PRIMARY KEY,
  layer              TEXT NOT NULL,
  location           TEXT NOT NULL UNIQUE,
  partition_keys     TEXT NOT NULL,
  schema_version     INTEGER NOT NULL,
  files              INTEGER NOT NULL,
  rows               INTEGER NOT NULL,
  bytes              INTEGER NOT NULL,
  partitions         INTEGER NOT NULL,
  problem_files      INTEGER NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE TABLE table_aliases (
  alias      TEXT PRIMARY KEY,
  table_name TEXT NOT NULL REFERENCES tables(name) ON DELETE CASCADE
);
CREATE TABLE schema_versions (
  table_name TEXT NOT NULL REFERENCES tables(name) ON DELETE CASCADE,
  version    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  run_id     INTEGER NOT NULL,
  change     TEXT NOT NULL,
  first_file TEXT NOT NULL,
  PRIMARY KEY (table_name, version)
);
CREATE TABLE columns (
  table_name       TEXT NOT NULL,
  version          INTEGER NOT NULL,
  position         INTEGER NOT NULL,
  name             TEXT NOT NULL,
  type             TEXT NOT NULL,
  nullable         INTEGER NOT NULL,
  is_partition_key INTEGER NOT NULL,
  PRIMARY KEY (table_name, version, position),
  FOREIGN KEY (table_name, version) REFERENCES schema_versions(table_name, version)
    ON DELETE CASCADE
);
CREATE TABLE files (
  path           TEXT PRIMARY KEY,
  table_name     TEXT NOT NULL,
  partition      TEXT NOT NULL,
  rows           INTEGER NOT NULL,
  bytes          INTEGER NOT NULL,
  mtime_micros   INTEGER NOT NULL,
  row_groups     INTEGER NOT NULL,
  schema_version INTEGER,
  status         TEXT NOT NULL,
  error          TEXT,
  crawled_at     INTEGER NOT NULL,
  run_id         INTEGER NOT NULL
);
CREATE INDEX files_by_table ON files (table_name, partition);
CREATE TABLE file_columns (
  path       TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  nullable   INTEGER NOT NULL,
  null_count INTEGER,
  min        TEXT,
  max        TEXT,
  min_key,
  max_key,
  PRIMARY KEY (path, position)
);
CREATE TABLE partitions (
  table_name TEXT NOT NULL REFERENCES tables(name) ON DELETE CASCADE,
  partition  TEXT NOT NULL,
  files      INTEGER NOT NULL,
  rows       INTEGER NOT NULL,
  bytes      INTEGER NOT NULL,
  PRIMARY KEY (table_name, partition)
);
CREATE TABLE partition_columns (
  table_name  TEXT NOT NULL,
  partition   TEXT NOT NULL,
  column_name TEXT NOT NULL,
  null_count  INTEGER,
  min         TEXT,
  max         TEXT,
  min_key,
  max_key,
  PRIMARY KEY (table_name, partition, column_name),
  FOREIGN KEY (table_name, partition) REFERENCES partitions(table_name, partition)
    ON DELETE CASCADE
);
CREATE TABLE problems (
  run_id     INTEGER NOT NULL,
  table_name TEXT,
  path       TEXT,
  kind       TEXT NOT NULL,
  detail     TEXT NOT NULL
);
CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  started_at      INTEGER NOT NULL,
  finished_at     INTEGER,
  lake            TEXT NOT NULL,
  ledger_seq      INTEGER,
  status          TEXT NOT NULL,
  error           TEXT,
  tables          INTEGER,
  files_committed INTEGER,
  files_read      INTEGER,
  files_reused    INTEGER,
  files_dropped   INTEGER,
  new_versions    INTEGER,
  problems        INTEGER,
  orphans         INTEGER
);
)sql",
};

static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kCatalogSchemaVersion);

}  // namespace

Status MigrateCatalog(SqliteDb& db) {
  SL_ASSIGN_OR_RETURN(std::optional<int64_t> version, db.QueryInt("PRAGMA user_version"));
  int64_t have = version.value_or(0);
  if (have > kCatalogSchemaVersion) {
    return Status::NotSupported(
        fmt::format("catalog {} has schema version {}, newer than this saleslake knows ({}): "
                    "use a newer saleslake, or crawl into a new catalog file",
                    db.path(), have, kCatalogSchemaVersion));
  }
  if (have == kCatalogSchemaVersion) return Status::OK();
  SL_RETURN_IF_ERROR(db.Begin());
  for (int64_t v = have; v < kCatalogSchemaVersion; ++v) {
    Status s = db.Exec(kMigrations[v]);
    if (!s.ok()) {
      db.Rollback();
      return s.WithContext(fmt::format("migrating the catalog to version {}", v + 1));
    }
  }
  Status s = db.Exec(fmt::format(
      "INSERT OR REPLACE INTO catalog_info (key, value) VALUES ('schema_version', '{0}');"
      "PRAGMA user_version = {0};",
      kCatalogSchemaVersion));
  if (!s.ok()) {
    db.Rollback();
    return s;
  }
  return db.Commit();
}

}  // namespace saleslake::catalog
