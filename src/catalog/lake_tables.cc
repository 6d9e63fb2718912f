#include "catalog/lake_tables.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "base/logging.h"
#include "catalog/catalog_store.h"
#include "catalog/crawler.h"
#include "io/uri.h"

namespace saleslake::catalog {

Result<std::string> DefaultCatalogPath(const std::string& lake_uri, bool create_dirs) {
  SL_ASSIGN_OR_RETURN(io::ParsedUri uri, io::ParseUri(lake_uri));
  return DefaultCatalogPath(uri, create_dirs);
}

Result<std::string> DefaultCatalogPath(const lake::Lake& lake, bool create_dirs) {
  return DefaultCatalogPath(lake.location(), create_dirs);
}

Result<std::string> DefaultCatalogPath(const io::ParsedUri& uri, bool create_dirs) {
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

namespace {

// A local lake whose folder is missing is NotFound: a mistyped --lake does not become a new lake.
Status CheckLocalFolder(const lake::Lake& lake) {
  const io::ParsedUri& uri = lake.location();
  if (uri.scheme == "file" && !std::filesystem::is_directory(uri.authority)) {
    return Status::NotFound("lake " + lake.uri() + " does not exist (check --lake)");
  }
  return Status::OK();
}

}  // namespace

Result<CrawlResult> CrawlLake(const lake::Lake& lake, const std::string& catalog_path,
                              CrawlOptions options) {
  SL_RETURN_IF_ERROR(CheckLocalFolder(lake));
  std::string path = catalog_path;
  if (path.empty()) {
    SL_ASSIGN_OR_RETURN(path, DefaultCatalogPath(lake));
  }
  SL_ASSIGN_OR_RETURN(auto store, CatalogStore::Open(path, /*create=*/true));
  options.lake_uri = lake.fs()->root_uri();
  return Crawl(lake.fs(), store->db(), options);
}

Result<CrawlResult> CrawlLake(const std::string& lake_uri, const std::string& catalog_path,
                              CrawlOptions options) {
  SL_ASSIGN_OR_RETURN(std::shared_ptr<lake::Lake> opened, lake::Lake::Open(lake_uri));
  return CrawlLake(*opened, catalog_path, std::move(options));
}

Result<std::vector<table::LakeTable>> LoadLakeTables(const std::string& lake_uri,
                                                     const std::string& catalog_path,
                                                     bool refresh) {
  SL_ASSIGN_OR_RETURN(std::shared_ptr<lake::Lake> opened, lake::Lake::Open(lake_uri));
  return LoadLakeTables(*opened, catalog_path, refresh);
}

Result<std::vector<table::LakeTable>> LoadLakeTables(const lake::Lake& lake,
                                                     const std::string& catalog_path,
                                                     bool refresh) {
  if (!refresh) {
    std::string path = catalog_path;
    if (path.empty()) {
      SL_ASSIGN_OR_RETURN(path, DefaultCatalogPath(lake, /*create_dirs=*/false));
    }
    SL_ASSIGN_OR_RETURN(auto store, CatalogStore::Open(path, /*create=*/false));
    return store->LakeTables();
  }
  // Crawl into the catalog file, then read it; where the catalog cannot be written (a read-only
  // lake directory, a catalog busy for longer than the timeout), crawl into a catalog in memory
  // instead: the answer is the same, only nothing is kept for next time.
  SL_RETURN_IF_ERROR(CheckLocalFolder(lake));
  const std::shared_ptr<io::FileSystem>& fs = lake.fs();
  CrawlOptions options;
  options.lake_uri = fs->root_uri();
  options.record_unchanged = false;
  std::string path = catalog_path;
  Status persistent;
  if (path.empty()) {
    auto default_path = DefaultCatalogPath(lake);
    if (default_path.ok())
      path = *default_path;
    else
      persistent = default_path.status();
  }
  if (persistent.ok()) {
    auto store = CatalogStore::Open(path, /*create=*/true);
    if (store.ok()) {
      auto crawled = Crawl(fs, (*store)->db(), options);
      if (crawled.ok()) return (*store)->LakeTables();
      persistent = crawled.status();
    } else {
      persistent = store.status();
    }
  }
  if (!persistent.Is(StatusCode::kIOError) && !persistent.Is(StatusCode::kAborted) &&
      !persistent.Is(StatusCode::kPermissionDenied)) {
    return persistent;
  }
  log::Warn("catalog.in_memory", {{"catalog", path}, {"reason", persistent.message()}});
  SL_ASSIGN_OR_RETURN(auto memory, CatalogStore::Open(":memory:", /*create=*/true));
  SL_RETURN_IF_ERROR(Crawl(fs, memory->db(), options).status());
  return memory->LakeTables();
}

}  // namespace saleslake::catalog
