// The catalog PostgreSQL clients read on connect and when they browse: real SQLite tables in two
// in-memory databases attached to a connection's engine as `pg_catalog` and
// `information_schema`, filled from the lake's tables (pg_namespace, pg_class, pg_attribute,
// pg_type, ... and information_schema.tables/columns/schemata), plus the PostgreSQL functions their
// queries call (version(), current_schema(), pg_table_is_visible, format_type, the regex match
// behind `~`, the casts ::regclass/::regtype, ...). The lake's tables are in schema
// `public`; the catalog is rebuilt with each engine, so it follows the lake.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "sql/query_engine.h"
#include "table/lake_table.h"

namespace saleslake::sql::pgwire {

struct CatalogSession {
  std::string user = "saleslake";
  std::string database = "saleslake";
  // What the session SET (lower-cased name -> value as SHOW gives it), shared with the session so
  // that SHOW and current_setting() read it; null: none.
  std::shared_ptr<std::map<std::string, std::string>> settings;
};

// The QueryEngine::Setup that builds the catalog for `tables`.
QueryEngine::Setup CatalogSetup(const std::vector<table::LakeTable>& tables,
                                const CatalogSession& session);

// The value of a setting as SHOW and current_setting() give it ("" when unknown).
std::string SettingValue(const std::string& name, const CatalogSession& session);

// "PostgreSQL 15.0 (saleslake) ...": what version() returns; server_version is 15.0.
extern const char kServerVersion[];
extern const char kVersionString[];

}  // namespace saleslake::sql::pgwire
