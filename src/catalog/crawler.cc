#include "catalog/crawler.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

#include "base/clock.h"
#include "base/json_writer.h"
#include "catalog/file_facts.h"
#include "lake/layout.h"
#include "lake/ledger.h"

namespace saleslake::catalog {
namespace {

using table::LakeColumn;

// A data file that counts, as storage and the ledger describe it.
struct CommittedFile {
  std::string path;
  std::string location;   // table folder
  std::string partition;  // "year=…/month=…/day=…"
  std::vector<std::pair<std::string, std::string>> partition_values;
  int64_t rows = 0;  // the ledger's count (0 without a ledger)
  int64_t bytes = 0;
  int64_t mtime = 0;
};

// A file as the catalog recorded it.
struct KnownFile {
  std::string table;
  int64_t bytes = 0;
  int64_t mtime = 0;
  std::string status;
  std::string error;
};

// A file read in this crawl.
struct ReadFile {
  const CommittedFile* file = nullptr;
  Result<FileFacts> facts = Status::Internal("not read");
};

struct Version {
  int64_t number = 0;
  std::vector<LakeColumn> columns;
  int64_t created_at = 0;
  int64_t run_id = 0;
  std::string change;
  std::string first_file;
  bool is_new = false;
};

std::string ColumnList(const std::vector<LakeColumn>& columns) {
  std::string out;
  for (const LakeColumn& c : columns) {
    if (!out.empty()) out += ", ";
    out += c.name + " " + lake::LakeTypeName(c);
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void BindKey(SqliteStatement& st, int index, const std::optional<StatValue>& v) {
  if (!v.has_value()) return st.BindNull(index);
  switch (v->kind) {
    case StatValue::Kind::kInt:
      return st.BindInt(index, v->i);
    case StatValue::Kind::kReal:
      return st.BindDouble(index, v->d);
    case StatValue::Kind::kText:
      return st.BindBlob(index, v->s);
  }
}

// A min/max key read back from the catalog.
std::optional<StatValue> KeyAt(const SqliteStatement& st, int key_col, int display_col) {
  StatValue v;
  switch (st.ColumnType(key_col)) {
    case SQLITE_INTEGER:
      v.kind = StatValue::Kind::kInt;
      v.i = st.ColumnInt(key_col);
      break;
    case SQLITE_FLOAT:
      v.kind = StatValue::Kind::kReal;
      v.d = st.ColumnDouble(key_col);
      break;
    case SQLITE_BLOB:
    case SQLITE_TEXT:
      v.kind = StatValue::Kind::kText;
      v.s = st.ColumnText(key_col);
      break;
    default:
      return std::nullopt;
  }
  v.display = st.ColumnText(display_col);
  return v;
}

class CrawlWriter {
 public:
  CrawlWriter(SqliteDb& db, int64_t run_id, int64_t now, CrawlResult* result)
      : db_(db), run_id_(run_id), now_(now), result_(result) {}

  Status DropFile(const std::string& path) {
    SL_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM files WHERE path = ?1"));
    st.BindText(1, path);
    return st.Run();
  }

  // Recomputes one table from its committed files: `read` are the ones read now (in order),
  // the others are already in the catalog.
  Status UpdateTable(const std::string& location, const std::vector<const CommittedFile*>& all,
                     std::vector<ReadFile*>& read) {
    const std::string name = lake::TableNameFor(location);
    if (all.empty()) {
      SL_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM tables WHERE name = ?1"));
      st.BindText(1, name);
      SL_RETURN_IF_ERROR(st.Run());
      SL_ASSIGN_OR_RETURN(auto cols, db_.Prepare("DELETE FROM columns WHERE table_name = ?1"));
      cols.BindText(1, name);
      return cols.Run();
    }
    SL_RETURN_IF_ERROR(LoadTable(name));
    if (!partition_keys_.has_value()) {
      std::vector<std::string> keys;
      for (const auto& [k, v] : all.front()->partition_values) keys.push_back(k);
      partition_keys_ = keys;
    }
    for (ReadFile* r : read) SL_RETURN_IF_ERROR(AddFile(name, *r));
    return WriteTable(name, location);
  }

 private:
  Status LoadTable(const std::string& name) {
    versions_.clear();
    partition_keys_.reset();
    created_at_ = now_;
    SL_ASSIGN_OR_RETURN(
        auto t, db_.Prepare("SELECT partition_keys, created_at FROM tables WHERE name = ?1"));
    t.BindText(1, name);
    SL_ASSIGN_OR_RETURN(bool has, t.Step());
    if (has) {
      std::vector<std::string> keys;
      for (const auto& [k, v] : lake::SplitPartition(t.ColumnText(0))) keys.push_back(k);
      partition_keys_ = keys;
      created_at_ = t.ColumnInt(1);
    }
    SL_ASSIGN_OR_RETURN(auto v,
                        db_.Prepare("SELECT version, created_at, run_id, change, first_file "
                                    "FROM schema_versions WHERE table_name = ?1 "
                                    "ORDER BY version"));
    v.BindText(1, name);
    while (true) {
      SL_ASSIGN_OR_RETURN(bool row, v.Step());
      if (!row) break;
      Version ver;
      ver.number = v.ColumnInt(0);
      ver.created_at = v.ColumnInt(1);
      ver.run_id = v.ColumnInt(2);
      ver.change = v.ColumnText(3);
      ver.first_file = v.ColumnText(4);
      versions_.push_back(std::move(ver));
    }
    SL_ASSIGN_OR_RETURN(auto c, db_.Prepare("SELECT version, name, type, nullable FROM columns "
                                            "WHERE table_name = ?1 AND is_partition_key = 0 "
                                            "ORDER BY version, position"));
    c.BindText(1, name);
    while (true) {
      SL_ASSIGN_OR_RETURN(bool row, c.Step());
      if (!row) break;
      int64_t number = c.ColumnInt(0);
      if (number < 1 || number > static_cast<int64_t>(versions_.size())) continue;
      LakeColumn col;
      col.name = c.ColumnText(1);
      if (!lake::ParseLakeTypeName(c.ColumnText(2), &col)) {
        return Status::Corruption(fmt::format("catalog {}: column {}.{} has an unknown type '{}'",
                                              db_.path(), name, col.name, c.ColumnText(2)));
      }
      col.nullable = c.ColumnInt(3) != 0;
      versions_[static_cast<size_t>(number - 1)].columns.push_back(std::move(col));
    }
    return Status::OK();
  }

  void Problem(std::string kind, const std::string& table, const std::string& path,
               std::string detail) {
    result_->problems.push_back({std::move(kind), table, path, std::move(detail)});
  }

  // Matches a file's columns against the latest version: nullopt and a new version when it adds
  // columns, an error text when a type differs.
  std::optional<std::string> AssignVersion(const std::string& path, const FileFacts& facts,
                                           int64_t* version) {
    if (versions_.empty()) {
      Version v;
      v.number = 1;
      for (const ColumnFacts& c : facts.columns) v.columns.push_back(c.column);
      v.created_at = now_;
      v.run_id = run_id_;
      v.change = "created: " + ColumnList(v.columns);
      v.first_file = path;
      v.is_new = true;
      versions_.push_back(std::move(v));
      ++result_->new_versions;
      *version = 1;
      return std::nullopt;
    }
    Version& latest = versions_.back();
    std::vector<LakeColumn> added;
    std::set<std::string> present;
    for (const ColumnFacts& c : facts.columns) {
      present.insert(c.column.name);
      auto it = std::find_if(latest.columns.begin(), latest.columns.end(),
                             [&](const LakeColumn& t) { return t.name == c.column.name; });
      if (it == latest.columns.end()) {
        added.push_back(c.column);
        added.back().nullable = true;  // older files do not have it
        continue;
      }
      if (lake::LakeTypeName(*it) != lake::LakeTypeName(c.column)) {
        return fmt::format("column {} is {} in the file but {} in the table (version {})",
                           c.column.name, lake::LakeTypeName(c.column), lake::LakeTypeName(*it),
                           latest.number);
      }
      if (c.column.nullable) it->nullable = true;
    }
    for (LakeColumn& t : latest.columns) {
      if (present.count(t.name) == 0) t.nullable = true;  // this file lacks it: NULL there
    }
    if (added.empty()) {
      *version = latest.number;
      return std::nullopt;
    }
    Version v;
    v.number = latest.number + 1;
    v.columns = latest.columns;
    v.columns.insert(v.columns.end(), added.begin(), added.end());
    v.created_at = now_;
    v.run_id = run_id_;
    v.change = "added: " + ColumnList(added);
    v.first_file = path;
    v.is_new = true;
    versions_.push_back(std::move(v));
    ++result_->new_versions;
    *version = versions_.back().number;
    return std::nullopt;
  }

  Status AddFile(const std::string& name, ReadFile& r) {
    const CommittedFile& f = *r.file;
    SL_RETURN_IF_ERROR(DropFile(f.path));
    std::string status = "ok";
    std::string error;
    std::optional<int64_t> version;
    int64_t rows = f.rows;
    int64_t row_groups = 0;
    std::vector<std::string> keys;
    for (const auto& [k, v] : f.partition_values) keys.push_back(k);
    if (!r.facts.ok()) {
      status = "corrupt";
      error = r.facts.status().message();
      Problem("corrupt_file", name, f.path, error);
    } else {
      rows = r.facts->rows;
      row_groups = r.facts->row_groups;
      if (keys != *partition_keys_) {
        status = "incompatible";
        error = fmt::format("partition keys ({}) differ from the table's ({})",
                            fmt::join(keys, ","), fmt::join(*partition_keys_, ","));
        Problem("partition_mismatch", name, f.path, error);
      } else {
        int64_t v = 0;
        std::optional<std::string> bad = AssignVersion(f.path, *r.facts, &v);
        if (bad.has_value()) {
          status = "incompatible";
          error = *bad;
          Problem("incompatible_schema", name, f.path, error);
        } else {
          version = v;
        }
      }
    }
    SL_ASSIGN_OR_RETURN(auto ins,
                        db_.Prepare("INSERT INTO files (path, table_name, partition, rows, "
                                    "bytes, mtime_micros, row_groups, schema_version, status, "
                                    "error, crawled_at, run_id) VALUES "
                                    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    ins.BindText(1, f.path);
    ins.BindText(2, name);
    ins.BindText(3, f.partition);
    ins.BindInt(4, rows);
    ins.BindInt(5, f.bytes);
    ins.BindInt(6, f.mtime);
    ins.BindInt(7, row_groups);
    if (version.has_value()) {
      ins.BindInt(8, *version);
    } else {
      ins.BindNull(8);
    }
    ins.BindText(9, status);
    if (error.empty()) {
      ins.BindNull(10);
    } else {
      ins.BindText(10, error);
    }
    ins.BindInt(11, now_);
    ins.BindInt(12, run_id_);
    SL_RETURN_IF_ERROR(ins.Run());
    if (!r.facts.ok()) return Status::OK();
    SL_ASSIGN_OR_RETURN(auto col,
                        db_.Prepare("INSERT INTO file_columns (path, position, name, type, "
                                    "nullable, null_count, min, max, min_key, max_key) VALUES "
                                    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    int position = 0;
    for (const ColumnFacts& c : r.facts->columns) {
      col.BindText(1, f.path);
      col.BindInt(2, position++);
      col.BindText(3, c.column.name);
      col.BindText(4, lake::LakeTypeName(c.column));
      col.BindInt(5, c.column.nullable ? 1 : 0);
      if (c.null_count >= 0) {
        col.BindInt(6, c.null_count);
      } else {
        col.BindNull(6);
      }
      if (c.min) {
        col.BindText(7, c.min->display);
      } else {
        col.BindNull(7);
      }
      if (c.max) {
        col.BindText(8, c.max->display);
      } else {
        col.BindNull(8);
      }
      BindKey(col, 9, c.min);
      BindKey(col, 10, c.max);
      SL_RETURN_IF_ERROR(col.Run());
    }
    return Status::OK();
  }

  // Partitions, their column statistics, the table row, versions and columns.
  Status WriteTable(const std::string& name, const std::string& location) {
    SL_RETURN_IF_ERROR(Exec1("DELETE FROM partitions WHERE table_name = ?1", name));
    SL_RETURN_IF_ERROR(Exec1("DELETE FROM partition_columns WHERE table_name = ?1", name));
    SL_RETURN_IF_ERROR(Exec1("DELETE FROM columns WHERE table_name = ?1", name));
    // The table row first: partitions and versions refer to it.
    SL_ASSIGN_OR_RETURN(
        auto t,
        db_.Prepare("INSERT INTO tables (name, layer, location, partition_keys, schema_version, "
                    "files, rows, bytes, partitions, problem_files, created_at, updated_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, 0, 0, ?6, ?7) ON CONFLICT(name) DO "
                    "UPDATE SET partition_keys = ?4, schema_version = ?5, updated_at = ?7"));
    std::string keys_text;
    for (const std::string& k : *partition_keys_) {
      if (!keys_text.empty()) keys_text += '/';
      keys_text += k + "=";
    }
    t.BindText(1, name);
    t.BindText(2, location.substr(0, location.find('/')));
    t.BindText(3, location);
    t.BindText(4, keys_text);
    t.BindInt(5, static_cast<int64_t>(versions_.size()));
    t.BindInt(6, created_at_);
    t.BindInt(7, now_);
    SL_RETURN_IF_ERROR(t.Run());
    SL_RETURN_IF_ERROR(Exec1("DELETE FROM table_aliases WHERE table_name = ?1", name));
    for (const std::string& alias : lake::AliasesFor(name)) {
      SL_ASSIGN_OR_RETURN(auto a, db_.Prepare("INSERT OR REPLACE INTO table_aliases (alias, "
                                              "table_name) VALUES (?1, ?2)"));
      a.BindText(1, alias);
      a.BindText(2, name);
      SL_RETURN_IF_ERROR(a.Run());
    }
    SL_RETURN_IF_ERROR(Exec1(
        "INSERT INTO partitions (table_name, partition, files, rows, bytes) SELECT table_name, "
        "partition, count(*), sum(rows), sum(bytes) FROM files WHERE table_name = ?1 AND "
        "status = 'ok' GROUP BY partition",
        name));
    SL_RETURN_IF_ERROR(Exec1(
        "UPDATE tables SET files = (SELECT count(*) FROM files WHERE table_name = ?1 AND "
        "status = 'ok'), rows = (SELECT coalesce(sum(rows), 0) FROM files WHERE table_name = ?1 "
        "AND status = 'ok'), bytes = (SELECT coalesce(sum(bytes), 0) FROM files WHERE "
        "table_name = ?1 AND status = 'ok'), partitions = (SELECT count(*) FROM partitions WHERE "
        "table_name = ?1), problem_files = (SELECT count(*) FROM files WHERE table_name = ?1 AND "
        "status != 'ok') WHERE name = ?1",
        name));
    SL_RETURN_IF_ERROR(WritePartitionColumns(name));
    // Partition keys are integers when every value is digits (year=2026/month=05), else strings.
    std::vector<bool> integer(partition_keys_->size(), true);
    SL_ASSIGN_OR_RETURN(auto p, db_.Prepare("SELECT partition FROM partitions WHERE "
                                            "table_name = ?1"));
    p.BindText(1, name);
    while (true) {
      SL_ASSIGN_OR_RETURN(bool row, p.Step());
      if (!row) break;
      auto values = lake::SplitPartition(p.ColumnText(0));
      for (size_t i = 0; i < values.size() && i < integer.size(); ++i) {
        if (!AllDigits(values[i].second) && values[i].second != lake::kHiveDefaultPartition) {
          integer[i] = false;
        }
      }
    }
    for (const Version& v : versions_) {
      if (v.is_new) {
        SL_ASSIGN_OR_RETURN(auto sv,
                            db_.Prepare("INSERT INTO schema_versions (table_name, version, "
                                        "created_at, run_id, change, first_file) VALUES "
                                        "(?1, ?2, ?3, ?4, ?5, ?6)"));
        sv.BindText(1, name);
        sv.BindInt(2, v.number);
        sv.BindInt(3, v.created_at);
        sv.BindInt(4, v.run_id);
        sv.BindText(5, v.change);
        sv.BindText(6, v.first_file);
        SL_RETURN_IF_ERROR(sv.Run());
      }
      SL_ASSIGN_OR_RETURN(auto c,
                          db_.Prepare("INSERT INTO columns (table_name, version, position, name, "
                                      "type, nullable, is_partition_key) VALUES "
                                      "(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
      int position = 0;
      auto add = [&](const LakeColumn& col, bool key) {
        c.BindText(1, name);
        c.BindInt(2, v.number);
        c.BindInt(3, position++);
        c.BindText(4, col.name);
        c.BindText(5, lake::LakeTypeName(col));
        c.BindInt(6, col.nullable ? 1 : 0);
        c.BindInt(7, key ? 1 : 0);
        return c.Run();
      };
      for (const LakeColumn& col : v.columns) SL_RETURN_IF_ERROR(add(col, false));
      for (size_t i = 0; i < partition_keys_->size(); ++i) {
        LakeColumn key;
        key.name = (*partition_keys_)[i];
        key.type = integer[i] ? table::LakeType::kInt32 : table::LakeType::kString;
        key.nullable = false;
        SL_RETURN_IF_ERROR(add(key, true));
      }
    }
    return Status::OK();
  }

  // Per partition and column: nulls summed, min and max over the files (by key).
  Status WritePartitionColumns(const std::string& name) {
    struct Agg {
      int64_t nulls = 0;
      bool nulls_known = true;
      bool range_known = true;
      std::optional<StatValue> min, max;
    };
    std::map<std::pair<std::string, std::string>, Agg> aggs;
    SL_ASSIGN_OR_RETURN(
        auto q, db_.Prepare("SELECT f.partition, c.name, c.null_count, c.min, c.max, c.min_key, "
                            "c.max_key, f.rows FROM files f JOIN file_columns c ON c.path = "
                            "f.path WHERE f.table_name = ?1 AND f.status = 'ok'"));
    q.BindText(1, name);
    while (true) {
      SL_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      Agg& a = aggs[{q.ColumnText(0), q.ColumnText(1)}];
      const bool nulls_known = !q.IsNull(2);
      if (nulls_known) {
        a.nulls += q.ColumnInt(2);
      } else {
        a.nulls_known = false;
      }
      std::optional<StatValue> lo = KeyAt(q, 5, 3);
      std::optional<StatValue> hi = KeyAt(q, 6, 4);
      if (!lo || !hi) {
        if (!(nulls_known && q.ColumnInt(2) == q.ColumnInt(7))) a.range_known = false;
        continue;
      }
      if (!a.min || (lo->kind == a.min->kind && lo->Less(*a.min))) a.min = std::move(lo);
      if (!a.max || (hi->kind == a.max->kind && a.max->Less(*hi))) a.max = std::move(hi);
    }
    SL_ASSIGN_OR_RETURN(auto ins,
                        db_.Prepare("INSERT INTO partition_columns (table_name, partition, "
                                    "column_name, null_count, min, max, min_key, max_key) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    for (auto& [key, a] : aggs) {
      if (!a.range_known) a.min.reset(), a.max.reset();
      ins.BindText(1, name);
      ins.BindText(2, key.first);
      ins.BindText(3, key.second);
      if (a.nulls_known) {
        ins.BindInt(4, a.nulls);
      } else {
        ins.BindNull(4);
      }
      if (a.min) {
        ins.BindText(5, a.min->display);
      } else {
        ins.BindNull(5);
      }
      if (a.max) {
        ins.BindText(6, a.max->display);
      } else {
        ins.BindNull(6);
      }
      BindKey(ins, 7, a.min);
      BindKey(ins, 8, a.max);
      SL_RETURN_IF_ERROR(ins.Run());
    }
    return Status::OK();
  }

  Status Exec1(std::string_view sql, const std::string& name) {
    SL_ASSIGN_OR_RETURN(auto st, db_.Prepare(sql));
    st.BindText(1, name);
    return st.Run();
  }

  SqliteDb& db_;
  int64_t run_id_;
  int64_t now_;
  CrawlResult* result_;
  std::vector<Version> versions_;
  std::optional<std::vector<std::string>> partition_keys_;
  int64_t created_at_ = 0;
};

// Reads the footers of `files` on `threads` threads (0: 16 on S3, where each read is a round
// trip, 2 elsewhere). Each file's result is its own: one bad file fails only itself.
void ReadFooters(io::FileSystem& fs, int threads, bool check_ledger_rows,
                 std::vector<ReadFile>* files) {
  if (files->empty()) return;
  if (threads <= 0) threads = fs.scheme() == "s3" ? 16 : 2;
  threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), files->size()));
  std::atomic<size_t> next{0};
  auto work = [&]() {
    for (size_t i = next++; i < files->size(); i = next++) {
      ReadFile& r = (*files)[i];
      r.facts = ReadFileFacts(fs, r.file->path);
      if (r.facts.ok() && check_ledger_rows && r.file->rows != r.facts->rows) {
        r.facts = Status::Corruption(fmt::format("{}: the footer says {} rows, the ledger {}",
                                                 r.file->path, r.facts->rows, r.file->rows));
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

Result<std::map<std::string, KnownFile>> LoadKnownFiles(SqliteDb& db) {
  std::map<std::string, KnownFile> known;
  SL_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT path, table_name, bytes, mtime_micros, status, "
                                          "coalesce(error, '') FROM files"));
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    KnownFile& k = known[st.ColumnText(0)];
    k.table = st.ColumnText(1);
    k.bytes = st.ColumnInt(2);
    k.mtime = st.ColumnInt(3);
    k.status = st.ColumnText(4);
    k.error = st.ColumnText(5);
  }
  return known;
}

std::string ProblemKindOfStoredError(const KnownFile& k) {
  if (k.status == "corrupt") return "corrupt_file";
  if (k.error.starts_with("partition keys")) return "partition_mismatch";
  return "incompatible_schema";
}

// Everything in the transaction: files, tables, problems, the run's figures.
// What tells one lake's history from another's: its first commit's run id and time ("" when
// unknown). A catalog outlives a lake deleted and made again under the same name; only a ledger
// with the same first commit is the same lake.
std::string FirstCommitIdentity(const lake::Ledger& ledger) {
  if (ledger.state().last_seq == 0) return "";
  if (!ledger.state().origin.empty()) return ledger.state().origin;
  Result<lake::LedgerCommit> first = ledger.ReadCommit(1);
  if (!first.ok()) return "";
  return first->run_id + "@" + std::to_string(first->committed_at_micros);
}

// A ledger that ends before the last commit this catalog saw, with the same first commit, lost
// its last commits (a damaged _ledger/): answering from it would silently drop what they
// committed, so every reader fails naming the missing commit.
Status CheckLedgerNotShorter(SqliteDb& db, const lake::Ledger& ledger) {
  SL_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT (SELECT value FROM catalog_info WHERE key = "
                                          "'last_ledger_seq'), (SELECT value FROM catalog_info "
                                          "WHERE key = 'first_commit')"));
  SL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.IsNull(0) || st.IsNull(1)) return Status::OK();
  const uint64_t seen = std::strtoull(st.ColumnText(0).c_str(), nullptr, 10);
  const uint64_t last = ledger.state().last_seq;
  if (last >= seen || st.ColumnText(1).empty()) return Status::OK();
  if (FirstCommitIdentity(ledger) != st.ColumnText(1)) return Status::OK();  // another lake
  return Status::Corruption(fmt::format(
      "the ledger ends at commit {} but this lake had committed up to commit {}: {} is missing "
      "(_ledger/{:020}.json), so the tables would lack what it committed; the lake's _ledger/ "
      "was damaged: restore it from a backup",
      last, seen,
      seen == last + 1 ? fmt::format("commit {}", seen)
                       : fmt::format("commits {} to {}", last + 1, seen),
      last + 1));
}

Status WriteCrawl(SqliteDb& db, const CrawlOptions& options, int64_t now,
                  const std::map<std::string, std::vector<const CommittedFile*>>& by_table,
                  std::vector<ReadFile>& read, const std::vector<std::string>& dropped,
                  const std::string& first_commit, CrawlResult* result) {
  CrawlWriter writer(db, result->run_id, now, result);
  std::set<std::string> touched;
  for (const std::string& path : dropped) {
    SL_RETURN_IF_ERROR(writer.DropFile(path));
    auto parsed = lake::ParseDataPath(path);
    if (parsed) touched.insert(parsed->location);
  }
  std::map<std::string, std::vector<ReadFile*>> read_by_table;
  for (ReadFile& r : read) {
    read_by_table[r.file->location].push_back(&r);
    touched.insert(r.file->location);
  }
  // Tables the catalog lists whose folder has no committed file any more.
  SL_ASSIGN_OR_RETURN(auto tables, db.Prepare("SELECT location FROM tables"));
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, tables.Step());
    if (!row) break;
    if (by_table.count(tables.ColumnText(0)) == 0) touched.insert(tables.ColumnText(0));
  }
  static const std::vector<const CommittedFile*> kNone;
  static std::vector<ReadFile*> kNoneRead;
  for (const std::string& location : touched) {
    auto all = by_table.find(location);
    auto r = read_by_table.find(location);
    SL_RETURN_IF_ERROR(writer.UpdateTable(location, all == by_table.end() ? kNone : all->second,
                                          r == read_by_table.end() ? kNoneRead : r->second));
  }
  SL_RETURN_IF_ERROR(db.Exec("DELETE FROM problems"));
  SL_ASSIGN_OR_RETURN(auto p, db.Prepare("INSERT INTO problems (run_id, table_name, path, kind, "
                                         "detail) VALUES (?1, ?2, ?3, ?4, ?5)"));
  for (const CrawlProblem& problem : result->problems) {
    p.BindInt(1, result->run_id);
    if (problem.table.empty()) {
      p.BindNull(2);
    } else {
      p.BindText(2, problem.table);
    }
    p.BindText(3, problem.path);
    p.BindText(4, problem.kind);
    p.BindText(5, problem.detail);
    SL_RETURN_IF_ERROR(p.Run());
  }
  // A committed file that storage lacks is a problem file of its table too.
  SL_RETURN_IF_ERROR(
      db.Exec("UPDATE tables SET problem_files = (SELECT count(*) FROM files WHERE table_name = "
              "tables.name AND status != 'ok') + (SELECT count(*) FROM problems WHERE table_name = "
              "tables.name AND kind = 'missing_file')"));
  SL_ASSIGN_OR_RETURN(std::optional<int64_t> n, db.QueryInt("SELECT count(*) FROM tables"));
  result->tables = n.value_or(0);
  SL_ASSIGN_OR_RETURN(auto info, db.Prepare("INSERT OR REPLACE INTO catalog_info (key, value) "
                                            "VALUES (?1, ?2)"));
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"lake", options.lake_uri},
                                   {"last_ledger_seq", std::to_string(result->ledger_seq)},
                                   {"last_run_id", std::to_string(result->run_id)},
                                   {"first_commit", first_commit}}) {
    info.BindText(1, key);
    info.BindText(2, value);
    SL_RETURN_IF_ERROR(info.Run());
  }
  return Status::OK();
}

// Whether the catalog already says what this crawl found: the same ledger commit and the same
// problems (no file was read or dropped).
Result<bool> Unchanged(SqliteDb& db, const CrawlResult& r) {
  SL_ASSIGN_OR_RETURN(auto seq, db.Prepare("SELECT value FROM catalog_info WHERE key = "
                                           "'last_ledger_seq'"));
  SL_ASSIGN_OR_RETURN(bool has, seq.Step());
  if (!has || seq.ColumnText(0) != std::to_string(r.ledger_seq)) return false;
  std::multiset<std::tuple<std::string, std::string, std::string>> stored, found;
  SL_ASSIGN_OR_RETURN(auto p, db.Prepare("SELECT kind, path, detail FROM problems"));
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, p.Step());
    if (!row) break;
    stored.emplace(p.ColumnText(0), p.ColumnText(1), p.ColumnText(2));
  }
  for (const CrawlProblem& problem : r.problems) {
    found.emplace(problem.kind, problem.path, problem.detail);
  }
  return stored == found;
}

Status FinishRun(SqliteDb& db, const CrawlResult& r, int64_t finished, const Status& status) {
  SL_ASSIGN_OR_RETURN(auto st,
                      db.Prepare("UPDATE runs SET finished_at = ?2, ledger_seq = ?3, status = "
                                 "?4, error = ?5, tables = ?6, files_committed = ?7, "
                                 "files_read = ?8, files_reused = ?9, files_dropped = ?10, "
                                 "new_versions = ?11, problems = ?12, orphans = ?13 WHERE "
                                 "id = ?1"));
  st.BindInt(1, r.run_id);
  st.BindInt(2, finished);
  st.BindInt(3, static_cast<int64_t>(r.ledger_seq));
  st.BindText(4, status.ok() ? "ok" : "failed");
  if (status.ok()) {
    st.BindNull(5);
  } else {
    st.BindText(5, status.message());
  }
  st.BindInt(6, r.tables);
  st.BindInt(7, r.files_committed);
  st.BindInt(8, r.files_read);
  st.BindInt(9, r.files_reused);
  st.BindInt(10, r.files_dropped);
  st.BindInt(11, r.new_versions);
  st.BindInt(12, static_cast<int64_t>(r.problems.size()));
  st.BindInt(13, r.orphans);
  return st.Run();
}

}  // namespace

Result<CrawlResult> Crawl(std::shared_ptr<io::FileSystem> fs, SqliteDb& db,
                          const CrawlOptions& options) {
  const int64_t started = NowMicros();
  const int64_t now = options.now_micros != 0 ? options.now_micros : started;
  CrawlResult result;

  // The ledger and the listing must describe the same state: a commit that lands between them
  // (the crawl takes no lock) would make its new files look like orphans, or the files it
  // replaced look missing. So the ledger is checked again after the listing, and the pair retried
  // while a writer moves it on (a few times; after that the report may name such files).
  std::unique_ptr<lake::Ledger> ledger;
  std::map<std::string, io::FileInfo> listed;
  for (int attempt = 0; attempt < 4; ++attempt) {
    SL_ASSIGN_OR_RETURN(ledger, lake::Ledger::Open(fs, /*recover=*/false));
    listed.clear();
    io::ListOptions list_options;
    list_options.include_temporaries = true;
    for (std::string_view layer : lake::kDataLayers) {
      SL_ASSIGN_OR_RETURN(auto infos, fs->List(layer, list_options));
      for (io::FileInfo& info : infos) {
        if (info.type == io::FileType::kFile) listed.emplace(info.path, std::move(info));
      }
    }
    // No next commit yet: nothing moved (one metadata request, not a second ledger read).
    SL_ASSIGN_OR_RETURN(io::FileInfo next,
                        fs->GetFileInfo(lake::CommitPath(ledger->state().last_seq + 1)));
    if (next.type == io::FileType::kNotFound) break;
  }
  SL_RETURN_IF_ERROR(CheckLedgerNotShorter(db, *ledger));
  const lake::LedgerState& state = ledger->state();
  result.ledger_seq = state.last_seq;
  result.ledger_present = state.last_seq > 0;

  // The files that count, and the orphans.
  std::vector<CommittedFile> committed;
  auto add_committed = [&](const std::string& path, const io::FileInfo& info, int64_t rows,
                           const std::string& table, const std::string& partition) {
    CommittedFile f;
    f.path = path;
    std::optional<lake::DataPath> parsed = lake::ParseDataPath(path);
    if (parsed) {
      f.location = parsed->location;
      f.partition = parsed->partition;
      f.partition_values = parsed->partition_values;
    } else {
      f.location = table;
      f.partition = partition;
      f.partition_values = lake::SplitPartition(partition);
    }
    f.rows = rows;
    f.bytes = static_cast<int64_t>(info.size);
    f.mtime = info.mtime_micros;
    committed.push_back(std::move(f));
  };
  if (result.ledger_present) {
    for (const auto& [path, file] : state.files) {
      auto it = listed.find(path);
      if (it == listed.end()) {
        result.problems.push_back({"missing_file", lake::TableNameFor(file.table), path,
                                   "the ledger names this file but storage does not have it"});
        continue;
      }
      add_committed(path, it->second, static_cast<int64_t>(file.rows), file.table, file.partition);
    }
    for (const auto& [path, info] : listed) {
      if (state.files.count(path) != 0) continue;
      auto parsed = lake::ParseDataPath(path);
      result.problems.push_back({"orphan", parsed ? lake::TableNameFor(parsed->location) : "", path,
                                 "no ledger commit names this file ('saleslake vacuum' removes "
                                 "orphans of crashed writes)"});
      ++result.orphans;
    }
  } else {
    for (const auto& [path, info] : listed) {
      if (lake::ParseDataPath(path)) {
        add_committed(path, info, 0, "", "");
      } else {
        result.problems.push_back({"orphan", "", path, "not a published data file"});
        ++result.orphans;
      }
    }
  }
  result.files_committed = static_cast<int64_t>(committed.size());

  SL_ASSIGN_OR_RETURN(auto known, LoadKnownFiles(db));
  std::vector<ReadFile> read;
  std::set<std::string> committed_paths;
  // Oldest first, so that schema versions follow the order files were written in.
  std::sort(committed.begin(), committed.end(), [](const CommittedFile& a, const CommittedFile& b) {
    return std::tie(a.mtime, a.path) < std::tie(b.mtime, b.path);
  });
  std::map<std::string, std::vector<const CommittedFile*>> by_table;
  for (const CommittedFile& f : committed) {
    committed_paths.insert(f.path);
    by_table[f.location].push_back(&f);
    auto k = known.find(f.path);
    if (k != known.end() && k->second.bytes == f.bytes && k->second.mtime == f.mtime) {
      ++result.files_reused;
      // A flagged file not read again keeps being reported.
      if (k->second.status != "ok") {
        result.problems.push_back(
            {ProblemKindOfStoredError(k->second), k->second.table, f.path, k->second.error});
      }
      continue;
    }
    ReadFile r;
    r.file = &f;
    read.push_back(std::move(r));
  }
  ReadFooters(*fs, options.read_threads, result.ledger_present, &read);
  result.files_read = static_cast<int64_t>(read.size());
  std::vector<std::string> dropped;
  for (const auto& [path, k] : known) {
    if (committed_paths.count(path) == 0) dropped.push_back(path);
  }
  result.files_dropped = static_cast<int64_t>(dropped.size());

  if (!options.record_unchanged && read.empty() && dropped.empty()) {
    SL_ASSIGN_OR_RETURN(bool unchanged, Unchanged(db, result));
    if (unchanged) {
      SL_ASSIGN_OR_RETURN(std::optional<int64_t> n, db.QueryInt("SELECT count(*) FROM tables"));
      result.tables = n.value_or(0);
      result.duration_micros = NowMicros() - started;
      return result;
    }
  }
  SL_ASSIGN_OR_RETURN(auto start_run,
                      db.Prepare("INSERT INTO runs (started_at, lake, status) VALUES (?1, ?2, "
                                 "'running')"));
  start_run.BindInt(1, now);
  start_run.BindText(2, options.lake_uri);
  SL_RETURN_IF_ERROR(db.Begin());
  Status s = start_run.Run();
  if (s.ok()) {
    result.run_id = db.LastInsertRowId();
    s = WriteCrawl(db, options, now, by_table, read, dropped, FirstCommitIdentity(*ledger),
                   &result);
  }
  result.duration_micros = NowMicros() - started;
  if (s.ok()) s = FinishRun(db, result, now + result.duration_micros, Status::OK());
  if (s.ok()) s = db.Commit();
  if (!s.ok()) {
    db.Rollback();
    // Record the failure outside the rolled-back transaction, best effort.
    auto failed = db.Prepare(
        "INSERT INTO runs (started_at, finished_at, lake, status, error) "
        "VALUES (?1, ?2, ?3, 'failed', ?4)");
    if (failed.ok()) {
      failed->BindInt(1, now);
      failed->BindInt(2, now + result.duration_micros);
      failed->BindText(3, options.lake_uri);
      failed->BindText(4, s.message());
      failed->Run().IgnoreError();
    }
    return s;
  }
  return result;
}

std::string CrawlResult::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("run_id", run_id);
  w.Field("ledger_seq", ledger_seq);
  w.Field("ledger_present", ledger_present);
  w.Field("tables", tables);
  w.Field("files_committed", files_committed);
  w.Field("files_read", files_read);
  w.Field("files_reused", files_reused);
  w.Field("files_dropped", files_dropped);
  w.Field("new_versions", new_versions);
  w.Field("orphans", orphans);
  w.Field("duration_ms", static_cast<double>(duration_micros) / 1000.0);
  w.Key("problems");
  WriteProblemsJson(w, problems);
  w.EndObject();
  return out;
}

std::string CrawlResult::ToText() const {
  std::string out = fmt::format(
      "crawled {} tables: {} committed files ({} footers read, {} unchanged, {} dropped), {} new "
      "schema versions, ledger commit {}, {:.1f} ms\n",
      tables, files_committed, files_read, files_reused, files_dropped, new_versions, ledger_seq,
      static_cast<double>(duration_micros) / 1000.0);
  if (!ledger_present && files_committed > 0) {
    out += "note: the lake has no ledger: every published .parquet file was counted\n";
  }
  for (const CrawlProblem& p : problems) {
    out += fmt::format("{}: {}{}{}: {}\n", p.kind, p.table, p.table.empty() ? "" : " ", p.path,
                       p.detail);
  }
  return out;
}

}  // namespace saleslake::catalog
