// The lake's tables for the SQL engine, from the catalog.
//
//   SL_ASSIGN_OR_RETURN(std::vector<table::LakeTable> tables,
//                       catalog::LoadLakeTables(*lake, catalog_path));   // lake: a lake::Lake
//
// LoadLakeTables opens the lake's catalog (creating it when missing), brings it up to date with
// an incremental crawl (cheap when nothing changed: the ledger and one listing of the data
// layers, no footer read), and returns every table that has readable committed files: its
// columns (current schema version; columns missing from older files read as NULL), its Hive
// partition keys (year, month, day as INT32), its committed files and its aliases
// (highest_sold_product also answers to higest_sold_product). Files the crawl flagged (corrupt,
// incompatible schema) are left out and listed in the catalog's problems.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/crawler.h"
#include "io/uri.h"
#include "lake/lake.h"
#include "table/lake_table.h"

namespace saleslake::catalog {

// Where a lake's catalog lives when no --catalog is given:
//   local lake (file://, a path)  <lake>/_catalog/catalog.db
//   s3://bucket/prefix            $XDG_CACHE_HOME/saleslake/catalogs/bucket/prefix/catalog.db
//                                 ($XDG_CACHE_HOME defaults to ~/.cache; without a home
//                                 directory, ./.saleslake/catalogs/...)
//   mem://name                    ":memory:" (a catalog that lives as long as the process)
// Parent directories are created when `create_dirs`.
Result<std::string> DefaultCatalogPath(const io::ParsedUri& lake, bool create_dirs = true);
Result<std::string> DefaultCatalogPath(const lake::Lake& lake, bool create_dirs = true);
// The same for a URI not opened as a lake (parses it).
Result<std::string> DefaultCatalogPath(const std::string& lake_uri, bool create_dirs = true);

// Crawls the lake into its catalog (`catalog_path` "" means DefaultCatalogPath), creating the
// catalog when missing: what `saleslake crawl` and `saleslake run` do. A local lake that does not
// exist is NotFound (a mistyped --lake does not become a new lake). `options.lake_uri` is set
// from the lake.
Result<CrawlResult> CrawlLake(const lake::Lake& lake, const std::string& catalog_path = "",
                              CrawlOptions options = {});
// Opens the lake at `lake_uri`, then the above (library callers and tests).
Result<CrawlResult> CrawlLake(const std::string& lake_uri, const std::string& catalog_path = "",
                              CrawlOptions options = {});

// `catalog_path` "" means DefaultCatalogPath(lake). The crawl records a run only when it found
// something new. Where the catalog file cannot be written (a read-only lake directory, a catalog
// locked by another writer past the busy timeout), the crawl goes into a catalog in memory and the
// answer is the same. With `refresh` false the catalog is read as the last crawl left it
// (NotFound when it does not exist).
Result<std::vector<table::LakeTable>> LoadLakeTables(const lake::Lake& lake,
                                                     const std::string& catalog_path = "",
                                                     bool refresh = true);
// Opens the lake at `lake_uri`, then the above.
Result<std::vector<table::LakeTable>> LoadLakeTables(const std::string& lake_uri,
                                                     const std::string& catalog_path = "",
                                                     bool refresh = true);

}  // namespace saleslake::catalog
