#include "web/dashboard/lake_services.h"

#include <chrono>
#include <cmath>
#include <thread>

#include "base/clock.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "catalog/catalog_store.h"
#include "catalog/crawler.h"
#include "catalog/ddl.h"
#include "catalog/lake_tables.h"
#include "sql/personal_data.h"
#include "sql/query_engine.h"

namespace saleslake::web {
namespace {

// Offsets past this are refused: a page beyond it would read (and drop) a million rows first.
constexpr size_t kMaxRowsScanned = 1'000'000;

std::string CellJson(const sql::Value& v) {
  std::string out;
  if (std::holds_alternative<std::monostate>(v)) return "null";
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    return std::isfinite(*d) ? sql::CellText(v) : "null";
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    AppendJsonString(&out, *s);
    return out;
  }
  AppendJsonString(&out, sql::CellText(v));  // a blob, as hex
  return out;
}

std::string Iso(int64_t micros) { return micros ? FormatIso8601Millis(micros) : ""; }

}  // namespace

Result<std::string> CrawlLake(const lake::Lake& lake) {
  SL_ASSIGN_OR_RETURN(std::string path, catalog::DefaultCatalogPath(lake));
  SL_ASSIGN_OR_RETURN(auto store, catalog::CatalogStore::Open(path, /*create=*/true));
  catalog::CrawlOptions options;
  options.lake_uri = lake.uri();
  SL_ASSIGN_OR_RETURN(catalog::CrawlResult r, catalog::Crawl(lake.fs(), store->db(), options));
  return r.ToJson();
}

LakeServices::LakeServices(std::shared_ptr<lake::Lake> lake, SnapshotStore* store)
    : lake_(std::move(lake)), store_(store) {}

LakeServices::~LakeServices() = default;

Status LakeServices::Sync() {
  const uint64_t seq = store_->Get()->last_seq;
  if (synced_ && seq == synced_seq_) return Status::OK();
  if (!catalog_) {
    SL_ASSIGN_OR_RETURN(std::string path, catalog::DefaultCatalogPath(*lake_));
    SL_ASSIGN_OR_RETURN(catalog_, catalog::CatalogStore::Open(path, /*create=*/true));
  }
  catalog::CrawlOptions options;
  options.lake_uri = lake_->uri();
  SL_RETURN_IF_ERROR(catalog::Crawl(store_->fs(), catalog_->db(), options).status());
  SL_ASSIGN_OR_RETURN(tables_, catalog_->LakeTables());
  synced_seq_ = seq;
  synced_ = true;
  return Status::OK();
}

Status LakeServices::Query(const std::string& text, size_t offset, size_t limit, SqlPage* page,
                           SqlError* error, bool mask_personal_data) {
  if (offset + limit > kMaxRowsScanned) {
    error->message = "offset + limit may not pass " + std::to_string(kMaxRowsScanned) +
                     " rows: narrow the query (WHERE, LIMIT) instead of paging that far";
    return Status::InvalidArgument(error->message);
  }
  sql::QueryOptions options;
  options.max_rows = static_cast<int64_t>(offset + limit + 1);
  options.timeout_seconds = 30;
  options.max_result_bytes = int64_t{64} << 20;
  options.mask_personal_data = mask_personal_data;
  options.dialect = sql::Dialect::kTrino;  // the console speaks Athena's SQL, as `query` does
  sql::QueryError where;
  Result<sql::QueryResult> r = Status::Internal("the query did not run");
  // A commit that lands while the catalog is read, or between the catalog and the scan, can
  // replace a file the query was about to read. A file problem is therefore retried on a fresh
  // crawl (at most kFileRetries times, a little later each time); a file that stays missing or
  // broken still fails the query, naming it.
  constexpr int kFileRetries = 3;
  for (int attempt = 0;; ++attempt) {
    std::vector<table::LakeTable> tables;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (attempt > 0) synced_ = false;
      SL_RETURN_IF_ERROR(Sync());
      tables = tables_;
    }
    // An engine per query: opening one reads nothing, and queries then run side by side.
    SL_ASSIGN_OR_RETURN(auto engine, sql::QueryEngine::Open(store_->fs(), std::move(tables)));
    where = sql::QueryError();
    r = engine->Execute(text, options, &where);
    const StatusCode code = r.ok() ? StatusCode::kOk : r.status().code();
    const bool file_problem = code == StatusCode::kNotFound || code == StatusCode::kCorruption ||
                              code == StatusCode::kIOError;
    if (!file_problem || attempt == kFileRetries) break;
    log::Info("sql.retry_on_new_snapshot",
              {{"attempt", attempt + 1}, {"error", r.status().message()}});
    std::this_thread::sleep_for(std::chrono::milliseconds(50 * (attempt + 1)));
  }
  if (!r.ok()) {
    error->message = r.status().message();
    error->position = where.offset;
    // A query a person got wrong, a write refused, a budget passed: all say what to change.
    const StatusCode code = r.status().code();
    if (code == StatusCode::kPermissionDenied || code == StatusCode::kTimeout) {
      return Status::InvalidArgument(error->message);
    }
    return r.status();
  }
  for (const sql::QueryColumn& c : r->columns) {
    page->columns.push_back(c.name);
    page->types.push_back(c.declared_type);
  }
  const size_t n = r->rows.size();
  for (size_t i = offset; i < n && i < offset + limit; ++i) {
    std::vector<std::string>& row = page->rows.emplace_back();
    for (const sql::Value& v : r->rows[i]) row.push_back(CellJson(v));
  }
  page->more = n > offset + limit || (r->truncated && n >= offset + limit);
  page->elapsed_ms = r->elapsed_seconds * 1000;
  return Status::OK();
}

Result<sql::pgwire::LakeTables> LakeServices::PgTables() {
  std::lock_guard<std::mutex> lock(mu_);
  SL_RETURN_IF_ERROR(Sync());
  return sql::pgwire::LakeTables{synced_seq_, store_->fs(), tables_};
}

Result<std::string> LakeServices::CatalogJson(const std::string& name, bool mask_personal_data) {
  std::lock_guard<std::mutex> lock(mu_);
  SL_RETURN_IF_ERROR(Sync());
  SL_ASSIGN_OR_RETURN(std::vector<catalog::TableSummary> summaries, catalog_->Tables());
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("source", "catalog");
  w.Field("commit", synced_seq_);
  w.Key("tables");
  w.BeginArray();
  std::string canonical;
  if (!name.empty()) {
    SL_ASSIGN_OR_RETURN(canonical, catalog_->ResolveName(name));
  }
  for (const catalog::TableSummary& t : summaries) {
    if (!canonical.empty() && t.name != canonical) continue;
    SL_ASSIGN_OR_RETURN(catalog::TableDescription d, catalog_->Describe(t.name));
    w.BeginObject();
    w.Field("name", t.name);
    w.Field("sql_name", t.name);
    w.Field("layer", t.layer);
    w.Field("location", t.location);
    w.Key("aliases");
    w.BeginArray();
    for (const std::string& a : t.aliases) w.String(a);
    w.EndArray();
    w.Field("files", t.files);
    w.Field("rows", t.rows);
    w.Field("bytes", t.bytes);
    w.Field("partition_count", t.partitions);
    w.Field("schema_version", t.schema_version);
    w.Field("problem_files", t.problem_files);
    w.Field("updated_at", Iso(t.updated_at));
    w.Key("partition_keys");
    w.BeginArray();
    for (const std::string& k : t.partition_keys) w.String(k);
    w.EndArray();
    w.Key("columns");
    w.BeginArray();
    for (const catalog::ColumnSummary& c : d.columns) {
      w.BeginObject();
      w.Field("name", c.name);
      w.Field("type", c.type);
      w.Field("nullable", c.nullable);
      w.Field("partition_key", c.is_partition_key);
      const sql::PersonalKind personal =
          mask_personal_data ? sql::PersonalKindOf(c.name) : sql::PersonalKind::kNone;
      if (c.min) w.Field("min", sql::MaskPersonal(personal, *c.min));
      if (c.max) w.Field("max", sql::MaskPersonal(personal, *c.max));
      w.EndObject();
    }
    w.EndArray();
    if (!canonical.empty()) {
      SL_ASSIGN_OR_RETURN(std::vector<catalog::PartitionSummary> parts,
                          catalog_->Partitions(t.name));
      w.Key("partitions");
      w.BeginArray();
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        w.BeginObject();
        w.Field("partition", it->partition);
        w.Field("files", it->files);
        w.Field("rows", it->rows);
        w.Field("bytes", it->bytes);
        w.EndObject();
      }
      w.EndArray();
      w.Key("file_list");
      w.BeginArray();
      for (const table::LakeTable& lt : tables_) {
        if (lt.name != t.name) continue;
        for (const table::LakeFile& f : lt.files) {
          w.BeginObject();
          w.Field("path", f.path);
          w.Field("rows", f.rows);
          w.Field("bytes", f.bytes);
          if (!f.unreadable.empty()) w.Field("unreadable", f.unreadable);
          w.EndObject();
        }
      }
      w.EndArray();
      SL_ASSIGN_OR_RETURN(std::vector<catalog::SchemaVersionSummary> versions,
                          catalog_->History(t.name));
      w.Key("schema_versions");
      w.BeginArray();
      for (const catalog::SchemaVersionSummary& v : versions) {
        w.BeginObject();
        w.Field("version", v.version);
        w.Field("created_at", Iso(v.created_at));
        w.Field("change", v.change);
        w.Field("files", v.files);
        w.Field("first_file", v.first_file);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  SL_ASSIGN_OR_RETURN(std::vector<catalog::ProblemSummary> problems, catalog_->Problems());
  w.Key("problems");
  catalog::WriteProblemsJson(w, problems);
  w.EndObject();
  return out;
}

Result<std::string> LakeServices::Ddl(const std::string& name, const std::string& dialect_name) {
  SL_ASSIGN_OR_RETURN(catalog::DdlDialect dialect, catalog::ParseDdlDialect(dialect_name));
  std::lock_guard<std::mutex> lock(mu_);
  SL_RETURN_IF_ERROR(Sync());
  std::vector<table::LakeTable> chosen;
  std::string canonical;
  if (!name.empty()) {
    SL_ASSIGN_OR_RETURN(canonical, catalog_->ResolveName(name));
  }
  for (const table::LakeTable& t : tables_) {
    if (canonical.empty() || t.name == canonical) chosen.push_back(t);
  }
  catalog::DdlOptions options;
  options.dialect = dialect;
  options.location = store_->fs()->root_uri();
  return catalog::GenerateDdl(chosen, options);
}

void LakeServices::AddTo(DashboardApiOptions* options) {
  options->query = [this](const std::string& text, size_t offset, size_t limit, SqlPage* page,
                          SqlError* error, bool mask_personal_data) {
    return Query(text, offset, limit, page, error, mask_personal_data);
  };
  options->catalog_json = [this](const std::string& table, bool mask_personal_data) {
    return CatalogJson(table, mask_personal_data);
  };
  options->ddl = [this](const std::string& table, const std::string& dialect) {
    return Ddl(table, dialect);
  };
}

}  // namespace saleslake::web
