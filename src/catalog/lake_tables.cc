#include "catalog/lake_tables.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "catalog/catalog_store.h"
#include "catalog/crawler.h"
#include "io/uri.h"

namespace saleslake::catalog {

Result<std::string> DefaultCatalogPath(const std::string& lake_uri, bool create_dirs) {
  SL_ASSIGN_OR_RETURN(io::ParsedUri uri, io::ParseUri(lake_uri));
  std::filesystem::path dir;
  if (uri.scheme == "mem") return std::string(":memory:");
  if (uri.scheme == "file") {
    dir = std::filesystem::path(uri.authority) / "_catalog";
  } else {
    std::filesystem::path base;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
      base = xdg;
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
      base = std::filesystem::path(home) / ".cache";
    } else {
      base = ".saleslake";
    }
    dir = base / "saleslake" / "catalogs" / uri.authority;
    if (!uri.path.empty()) dir /= uri.path;
  }
  std::error_code ec;
  if (create_dirs) std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::IOError("cannot create the catalog directory " + dir.string() + ": " +
                           ec.message() + " (give --catalog PATH)");
  }
  return (dir / "catalog.db").string();
}

Result<CrawlResult> CrawlLake(const std::string& lake_uri, const std::string& catalog_path,
                              CrawlOptions options) {
  SL_ASSIGN_OR_RETURN(io::ParsedUri uri, io::ParseUri(lake_uri));
  if (uri.scheme == "file" && !std::filesystem::is_directory(uri.authority)) {
    return Status::NotFound("lake " + lake_uri + " does not exist (check --lake)");
  }
  std::string path = catalog_path;
  if (path.empty()) {
    SL_ASSIGN_OR_RETURN(path, DefaultCatalogPath(lake_uri));
  }
  SL_ASSIGN_OR_RETURN(auto fs, io::FileSystemFromUri(lake_uri));
  SL_ASSIGN_OR_RETURN(auto store, CatalogStore::Open(path, /*create=*/true));
  options.lake_uri = fs->root_uri();
  return Crawl(fs, store->db(), options);
}

Result<std::vector<table::LakeTable>> LoadLakeTables(const std::string& lake_uri,
                                                     const std::string& catalog_path,
                                                     bool refresh) {
  std::string path = catalog_path;
  if (path.empty()) {
    SL_ASSIGN_OR_RETURN(path, DefaultCatalogPath(lake_uri, /*create_dirs=*/refresh));
  }
  if (refresh) {
    SL_RETURN_IF_ERROR(CrawlLake(lake_uri, path).status());
  }
  SL_ASSIGN_OR_RETURN(auto store, CatalogStore::Open(path, /*create=*/false));
  return store->LakeTables();
}

}  // namespace saleslake::catalog
