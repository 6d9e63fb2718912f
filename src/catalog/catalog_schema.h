// The catalog's SQLite schema and its migrations. docs/catalog.md documents every table; the
// dashboard and other readers may rely on what is documented there.
//
// The schema version is SQLite's `PRAGMA user_version` (also in catalog_info.schema_version).
// Migration i (0-based) takes a catalog from version i to i + 1; Open applies the missing ones in
// one transaction, and refuses a catalog newer than this program knows.
#pragma once

#include "base/status.h"
#include "catalog/sqlite_db.h"

namespace saleslake::catalog {

inline constexpr int kCatalogSchemaVersion = 1;

// Brings `db` to kCatalogSchemaVersion.
Status MigrateCatalog(SqliteDb& db);

}  // namespace saleslake::catalog
