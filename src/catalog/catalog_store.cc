#include "catalog/catalog_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <map>

#include "catalog/catalog_schema.h"
#include "lake/layout.h"

namespace saleslake::catalog {
namespace {

std::optional<int64_t> OptionalInt(const SqliteStatement& st, int col) {
  if (st.IsNull(col)) return std::nullopt;
  return st.ColumnInt(col);
}

std::vector<std::string> KeysOf(const std::string& partition_keys) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : lake::SplitPartition(partition_keys)) keys.push_back(k);
  return keys;
}

// Table-level min/max from partition_columns: min_key/max_key compare within one type.
bool KeyLess(int a_type, const std::string& a_text, double a_real, int64_t a_int, int b_type,
             const std::string& b_text, double b_real, int64_t b_int) {
  if (a_type != b_type) return false;
  if (a_type == SQLITE_INTEGER) return a_int < b_int;
  if (a_type == SQLITE_FLOAT) return a_real < b_real;
  return a_text < b_text;
}

}  // namespace

Result<std::unique_ptr<CatalogStore>> CatalogStore::Open(const std::string& path, bool create) {
  SL_ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path, create));
  SL_RETURN_IF_ERROR(MigrateCatalog(*db));
  return std::unique_ptr<CatalogStore>(new CatalogStore(std::move(db)));
}

Result<std::string> CatalogStore::ResolveName(const std::string& name) {
  SL_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT name FROM tables WHERE name = ?1 UNION ALL "
                                            "SELECT table_name FROM table_aliases WHERE "
                                            "alias = ?1"));
  st.BindText(1, name);
  SL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (row) return st.ColumnText(0);
  std::string known;
  SL_ASSIGN_OR_RETURN(auto all, db_->Prepare("SELECT name FROM tables ORDER BY name"));
  while (true) {
    SL_ASSIGN_OR_RETURN(bool more, all.Step());
    if (!more) break;
    known += (known.empty() ? "" : ", ") + all.ColumnText(0);
  }
  return Status::NotFound(
      fmt::format("no table '{}' in the catalog {} (tables: {}); crawl the "
                  "lake to pick up new tables",
                  name, db_->path(), known.empty() ? "none" : known));
}

Result<std::vector<TableSummary>> CatalogStore::Tables() {
  std::vector<TableSummary> out;
  SL_ASSIGN_OR_RETURN(
      auto st, db_->Prepare("SELECT name, layer, location, partition_keys, schema_version, files, "
                            "rows, bytes, partitions, problem_files, updated_at FROM tables "
                            "ORDER BY CASE layer WHEN 'main' THEN 0 WHEN 'raw' THEN 1 ELSE 2 "
                            "END, name"));
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    TableSummary t;
    t.name = st.ColumnText(0);
    t.layer = st.ColumnText(1);
    t.location = st.ColumnText(2);
    t.partition_keys = KeysOf(st.ColumnText(3));
    t.schema_version = st.ColumnInt(4);
    t.files = st.ColumnInt(5);
    t.rows = st.ColumnInt(6);
    t.bytes = st.ColumnInt(7);
    t.partitions = st.ColumnInt(8);
    t.problem_files = st.ColumnInt(9);
    t.updated_at = st.ColumnInt(10);
    t.aliases = lake::AliasesFor(t.name);
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<ColumnSummary>> CatalogStore::VersionColumns(const std::string& table,
                                                                int64_t version) {
  std::vector<ColumnSummary> out;
  SL_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT name, type, nullable, is_partition_key FROM "
                                            "columns WHERE table_name = ?1 AND version = ?2 "
                                            "ORDER BY position"));
  st.BindText(1, table);
  st.BindInt(2, version);
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ColumnSummary c;
    c.name = st.ColumnText(0);
    c.type = st.ColumnText(1);
    c.nullable = st.ColumnInt(2) != 0;
    c.is_partition_key = st.ColumnInt(3) != 0;
    out.push_back(std::move(c));
  }
  return out;
}

Result<TableDescription> CatalogStore::Describe(const std::string& name) {
  SL_ASSIGN_OR_RETURN(std::string canonical, ResolveName(name));
  SL_ASSIGN_OR_RETURN(std::vector<TableSummary> tables, Tables());
  TableDescription d;
  for (TableSummary& t : tables) {
    if (t.name == canonical) d.table = std::move(t);
  }
  SL_ASSIGN_OR_RETURN(d.columns, VersionColumns(canonical, d.table.schema_version));
  // Whole-table statistics from the partitions'.
  struct Agg {
    int64_t nulls = 0;
    bool nulls_known = true;
    bool range_known = true;
    int min_type = SQLITE_NULL, max_type = SQLITE_NULL;
    int64_t min_i = 0, max_i = 0;
    double min_d = 0, max_d = 0;
    std::string min_s, max_s, min_text, max_text;
    bool seen = false;
  };
  std::map<std::string, Agg> aggs;
  SL_ASSIGN_OR_RETURN(
      auto st, db_->Prepare("SELECT pc.column_name, pc.null_count, pc.min, pc.max, pc.min_key, "
                            "pc.max_key, p.rows FROM partition_columns pc JOIN partitions p ON "
                            "p.table_name = pc.table_name AND p.partition = pc.partition WHERE "
                            "pc.table_name = ?1"));
  st.BindText(1, canonical);
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Agg& a = aggs[st.ColumnText(0)];
    const bool nulls_known = !st.IsNull(1);
    if (nulls_known) {
      a.nulls += st.ColumnInt(1);
    } else {
      a.nulls_known = false;
    }
    if (st.IsNull(4) || st.IsNull(5)) {
      // No range: a partition of nulls only changes nothing; otherwise the range is unknown.
      if (!(nulls_known && st.ColumnInt(1) == st.ColumnInt(6))) a.range_known = false;
      continue;
    }
    int lt = st.ColumnType(4), ht = st.ColumnType(5);
    int64_t li = st.ColumnInt(4), hi = st.ColumnInt(5);
    double ld = st.ColumnDouble(4), hd = st.ColumnDouble(5);
    std::string ls = st.ColumnText(4), hs = st.ColumnText(5);
    if (!a.seen || KeyLess(lt, ls, ld, li, a.min_type, a.min_s, a.min_d, a.min_i)) {
      a.min_type = lt, a.min_i = li, a.min_d = ld, a.min_s = ls, a.min_text = st.ColumnText(2);
    }
    if (!a.seen || KeyLess(a.max_type, a.max_s, a.max_d, a.max_i, ht, hs, hd, hi)) {
      a.max_type = ht, a.max_i = hi, a.max_d = hd, a.max_s = hs, a.max_text = st.ColumnText(3);
    }
    a.seen = true;
  }
  for (ColumnSummary& c : d.columns) {
    auto it = aggs.find(c.name);
    if (it == aggs.end()) continue;
    const Agg& a = it->second;
    if (a.nulls_known) c.null_count = a.nulls;
    if (a.range_known && a.seen) {
      c.min = a.min_text;
      c.max = a.max_text;
    }
  }
  // Partition keys: their range over the partitions (as integers for INT32 keys).
  SL_ASSIGN_OR_RETURN(auto parts,
                      db_->Prepare("SELECT partition FROM partitions WHERE table_name = ?1"));
  parts.BindText(1, canonical);
  std::vector<std::vector<std::pair<std::string, std::string>>> values;
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, parts.Step());
    if (!row) break;
    values.push_back(lake::SplitPartition(parts.ColumnText(0)));
  }
  size_t key_index = 0;
  for (ColumnSummary& c : d.columns) {
    if (!c.is_partition_key) continue;
    const bool integer = c.type == "INT32";
    // Digit strings of up to 9 digits (checked below) compare as numbers by length, then text.
    auto less = [&](const std::string& a, const std::string& b) {
      if (!integer) return a < b;
      std::string_view x = std::string_view(a).substr(std::min(a.find_first_not_of('0'), a.size()));
      std::string_view y = std::string_view(b).substr(std::min(b.find_first_not_of('0'), b.size()));
      return x.size() != y.size() ? x.size() < y.size() : x < y;
    };
    for (const auto& kv : values) {
      if (key_index >= kv.size() || kv[key_index].second == lake::kHiveDefaultPartition) continue;
      const std::string& v = kv[key_index].second;
      if (integer &&
          (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)) {
        continue;
      }
      if (!c.min || less(v, *c.min)) c.min = v;
      if (!c.max || less(*c.max, v)) c.max = v;
    }
    ++key_index;
  }
  return d;
}

Result<std::vector<PartitionSummary>> CatalogStore::Partitions(const std::string& name) {
  SL_ASSIGN_OR_RETURN(std::string canonical, ResolveName(name));
  std::vector<PartitionSummary> out;
  std::map<std::string, size_t> index;
  SL_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT partition, files, rows, bytes FROM partitions "
                                            "WHERE table_name = ?1 ORDER BY partition"));
  st.BindText(1, canonical);
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    PartitionSummary p;
    p.partition = st.ColumnText(0);
    p.files = st.ColumnInt(1);
    p.rows = st.ColumnInt(2);
    p.bytes = st.ColumnInt(3);
    index[p.partition] = out.size();
    out.push_back(std::move(p));
  }
  SL_ASSIGN_OR_RETURN(auto cols,
                      db_->Prepare("SELECT pc.partition, pc.column_name, pc.null_count, pc.min, "
                                   "pc.max FROM partition_columns pc JOIN columns c ON "
                                   "c.table_name = pc.table_name AND c.name = pc.column_name "
                                   "AND c.version = (SELECT schema_version FROM tables WHERE "
                                   "name = ?1) WHERE pc.table_name = ?1 ORDER BY pc.partition, "
                                   "c.position"));
  cols.BindText(1, canonical);
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, cols.Step());
    if (!row) break;
    auto it = index.find(cols.ColumnText(0));
    if (it == index.end()) continue;
    out[it->second].columns.push_back({cols.ColumnText(1), OptionalInt(cols, 2),
                                       cols.ColumnOptionalText(3), cols.ColumnOptionalText(4)});
  }
  return out;
}

Result<std::vector<SchemaVersionSummary>> CatalogStore::History(const std::string& name) {
  SL_ASSIGN_OR_RETURN(std::string canonical, ResolveName(name));
  std::vector<SchemaVersionSummary> out;
  SL_ASSIGN_OR_RETURN(
      auto st, db_->Prepare("SELECT v.version, v.created_at, v.run_id, v.change, v.first_file, "
                            "(SELECT count(*) FROM files f WHERE f.table_name = v.table_name AND "
                            "f.schema_version = v.version AND f.status = 'ok') FROM "
                            "schema_versions v WHERE v.table_name = ?1 ORDER BY v.version"));
  st.BindText(1, canonical);
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    SchemaVersionSummary v;
    v.version = st.ColumnInt(0);
    v.created_at = st.ColumnInt(1);
    v.run_id = st.ColumnInt(2);
    v.change = st.ColumnText(3);
    v.first_file = st.ColumnText(4);
    v.files = st.ColumnInt(5);
    out.push_back(std::move(v));
  }
  for (SchemaVersionSummary& v : out) {
    SL_ASSIGN_OR_RETURN(v.columns, VersionColumns(canonical, v.version));
  }
  return out;
}

Result<std::vector<ProblemSummary>> CatalogStore::Problems() {
  std::vector<ProblemSummary> out;
  SL_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT kind, coalesce(table_name, ''), path, detail "
                                            "FROM problems ORDER BY kind, path"));
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.ColumnText(0), st.ColumnText(1), st.ColumnText(2), st.ColumnText(3)});
  }
  return out;
}

Result<std::vector<table::LakeTable>> CatalogStore::LakeTables() {
  SL_ASSIGN_OR_RETURN(std::vector<TableSummary> tables, Tables());
  std::vector<table::LakeTable> out;
  for (const TableSummary& t : tables) {
    if (t.schema_version == 0) continue;  // no readable file: nothing to query
    table::LakeTable lt;
    lt.name = t.name;
    lt.location = t.location;
    lt.aliases = t.aliases;
    lt.schema_version = t.schema_version;
    SL_ASSIGN_OR_RETURN(std::vector<ColumnSummary> columns,
                        VersionColumns(t.name, t.schema_version));
    for (const ColumnSummary& c : columns) {
      table::LakeColumn col;
      col.name = c.name;
      col.nullable = c.nullable;
      if (!lake::ParseLakeTypeName(c.type, &col)) {
        return Status::Corruption(fmt::format("catalog {}: column {}.{} has an unknown type '{}'",
                                              path(), t.name, c.name, c.type));
      }
      (c.is_partition_key ? lt.partition_keys : lt.columns).push_back(std::move(col));
    }
    // Readable files, and the committed files that cannot be read (corrupt, or missing from
    // storage): those stay in the table, marked, so that a statement needing one fails naming
    // it rather than answering without its rows. Files of another schema (incompatible) are
    // left out: they are readable, and reported as problems.
    SL_ASSIGN_OR_RETURN(
        auto st, db_->Prepare("SELECT path, partition, rows, bytes, CASE status WHEN 'ok' THEN '' "
                              "ELSE coalesce(error, 'not valid Parquet') END FROM files WHERE "
                              "table_name = ?1 AND status IN ('ok', 'corrupt') UNION ALL SELECT "
                              "path, '', 0, 0, detail FROM problems WHERE table_name = ?1 AND "
                              "kind = 'missing_file' ORDER BY 1"));
    st.BindText(1, t.name);
    while (true) {
      SL_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      table::LakeFile f;
      f.path = st.ColumnText(0);
      f.partition = lake::SplitPartition(st.ColumnText(1));
      if (f.partition.empty()) {
        if (std::optional<lake::DataPath> parsed = lake::ParseDataPath(f.path)) {
          f.partition = parsed->partition_values;
        }
      }
      f.rows = st.ColumnInt(2);
      f.bytes = st.ColumnInt(3);
      f.unreadable = st.ColumnText(4);
      lt.files.push_back(std::move(f));
    }
    out.push_back(std::move(lt));
  }
  return out;
}

}  // namespace saleslake::catalog
