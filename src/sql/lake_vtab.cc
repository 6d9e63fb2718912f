#include "sql/lake_vtab.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

#include "base/clock.h"
#include "parquet/reader/logical_value.h"
#include "parquet/reader/scanner.h"
#include "sql/scan_plan.h"
#include "sql/sql_functions.h"

namespace saleslake::sql {
namespace {

using parquet::ColumnKind;

// How xColumn turns a file's stored value into an SQLite value.
enum class Conv : uint8_t {
  kInt32,
  kUInt32,
  kInt64,
  kUInt64,
  kBool,
  kFloat,
  kDouble,
  kText,
  kBlob,
  kDecimal32,
  kDecimal64,
  kDecimalBytes,
  kTimestamp,
  kInt96,
  kDate,
  kTime,
  kUuid,
  kFloat16,
};

Conv ConvFor(const parquet::ColumnDescriptor& d) {
  switch (d.kind) {
    case ColumnKind::kBoolean:
      return Conv::kBool;
    case ColumnKind::kInt:
      return d.physical_type == parquet::Type::kInt64 ? Conv::kInt64 : Conv::kInt32;
    case ColumnKind::kUInt:
      return d.physical_type == parquet::Type::kInt64 ? Conv::kUInt64 : Conv::kUInt32;
    case ColumnKind::kFloat:
      return Conv::kFloat;
    case ColumnKind::kDouble:
      return Conv::kDouble;
    case ColumnKind::kFloat16:
      return Conv::kFloat16;
    case ColumnKind::kString:
      return Conv::kText;
    case ColumnKind::kBinary:
      return Conv::kBlob;
    case ColumnKind::kDecimal:
      if (d.physical_type == parquet::Type::kInt32) return Conv::kDecimal32;
      if (d.physical_type == parquet::Type::kInt64) return Conv::kDecimal64;
      return Conv::kDecimalBytes;
    case ColumnKind::kDate:
      return Conv::kDate;
    case ColumnKind::kTime:
      return Conv::kTime;
    case ColumnKind::kTimestamp:
      return d.is_int96 ? Conv::kInt96 : Conv::kTimestamp;
    case ColumnKind::kUuid:
      return Conv::kUuid;
  }
  return Conv::kBlob;
}

const double kPow10d[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                          1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

double DecimalToDouble(int64_t unscaled, int scale) {
  // One correctly rounded division: the nearest double to the decimal (for |unscaled| < 2^53).
  if (scale >= 0 && scale <= 18) return static_cast<double>(unscaled) / kPow10d[scale];
  return static_cast<double>(unscaled) * std::pow(10.0, -scale);
}

struct LakeVtab {
  sqlite3_vtab base;  // first: SQLite casts between the two
  LakeTables* tables;
  LakeTableState* state;
};

struct LakeCursor {
  sqlite3_vtab_cursor base;  // first
  LakeVtab* vtab = nullptr;
  std::vector<PlanConstraint> constraints;
  std::vector<int> used_data;  // data columns SQLite reads
  std::vector<size_t> files;   // candidate files, in order
  size_t next_file = 0;
  LakeFileState* file = nullptr;
  std::unique_ptr<parquet::ParquetScanner> scanner;
  parquet::ScanBatch batch;
  std::vector<int> slot;  // per data column: position in batch.columns, -1 when not read
  std::vector<Conv> conv;
  std::vector<const parquet::ColumnDescriptor*> desc;
  bool count_only = false;  // no data column used: rows come from row counts
  int64_t row = 0;          // within the batch
  int64_t rowid = 0;
  int64_t limit = -1;  // rows to produce at most (-1: all)
  bool eof = true;
  std::string scratch;
  // Hash lookup mode (xBestIndex bit 32): the matching rows of `hash`, the one at hash_pos.
  std::shared_ptr<LakeHashIndex> hash;
  const char* hash_plan = nullptr;  // the idxStr it was built for (SQLite keeps it per plan)
  int hash_column = -1;
  const std::vector<uint32_t>* hash_rows = nullptr;
  size_t hash_pos = 0;
};

int SetError(LakeVtab* vtab, const Status& status) {
  if (vtab->tables->error().ok()) vtab->tables->error() = status;
  sqlite3_free(vtab->base.zErrMsg);
  vtab->base.zErrMsg = sqlite3_mprintf("%s", status.message().c_str());
  return SQLITE_ERROR;
}

std::string DeclaredSchema(const table::LakeTable& t) {
  std::string sql = "CREATE TABLE x(";
  bool first = true;
  auto add = [&](const table::LakeColumn& c) {
    if (!first) sql += ", ";
    first = false;
    sql += '"';
    for (char ch : c.name) {
      sql += ch;
      if (ch == '"') sql += '"';
    }
    sql += "\" " + DeclaredType(c);
  };
  for (const auto& c : t.columns) add(c);
  for (const auto& c : t.partition_keys) add(c);
  sql += ")";
  return sql;
}

int xConnect(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out,
             char** err) {
  auto* tables = static_cast<LakeTables*>(aux);
  if (argc < 4) {
    *err = sqlite3_mprintf("lake: the table index is missing");
    return SQLITE_ERROR;
  }
  size_t index = 0;
  std::string_view arg = argv[3];
  auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), index);
  if (ec != std::errc() || index >= tables->states().size()) {
    *err = sqlite3_mprintf("lake: no table %s", argv[3]);
    return SQLITE_ERROR;
  }
  LakeTableState* state = &tables->states()[index];
  int rc = sqlite3_declare_vtab(db, DeclaredSchema(state->table).c_str());
  if (rc != SQLITE_OK) return rc;
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  auto* vtab = new LakeVtab{};
  vtab->tables = tables;
  vtab->state = state;
  *out = &vtab->base;
  return SQLITE_OK;
}

int xDisconnect(sqlite3_vtab* v) {
  auto* vtab = reinterpret_cast<LakeVtab*>(v);
  sqlite3_free(vtab->base.zErrMsg);
  delete vtab;
  return SQLITE_OK;
}

bool IsComparison(int op) {
  return op == SQLITE_INDEX_CONSTRAINT_EQ || op == SQLITE_INDEX_CONSTRAINT_GT ||
         op == SQLITE_INDEX_CONSTRAINT_LE || op == SQLITE_INDEX_CONSTRAINT_LT ||
         op == SQLITE_INDEX_CONSTRAINT_GE;
}

int xBestIndex(sqlite3_vtab* v, sqlite3_index_info* info) {
  auto* vtab = reinterpret_cast<LakeVtab*>(v);
  const LakeTableState& st = *vtab->state;
  const int ncols = static_cast<int>(st.table.columns.size());
  int idx_num = 0;
  int argv_index = 0;
  std::string idx_str;
  double rows = static_cast<double>(std::max<int64_t>(st.total_rows, 1));
  bool other_constraints = false;
  int limit_constraint = -1;
  if (st.total_rows <= kHashJoinRows) {
    for (int i = 0; i < info->nConstraint; ++i) {
      const auto& c = info->aConstraint[i];
      if (!c.usable || c.op != SQLITE_INDEX_CONSTRAINT_EQ || c.iColumn < 0 || c.iColumn >= ncols) {
        continue;
      }
      const char* coll = sqlite3_vtab_collation(info, i);
      if (coll != nullptr && sqlite3_stricmp(coll, "BINARY") != 0) continue;
      if (sqlite3_vtab_in(info, i, -1)) continue;
      // A constant (WHERE id = 5) prunes row groups by statistics instead; a join key is known
      // only per outer row.
      sqlite3_value* rhs = nullptr;
      if (sqlite3_vtab_rhs_value(info, i, &rhs) == SQLITE_OK) continue;
      // A lookup in memory: about one row per key, at a fraction of a scan's cost per row.
      info->aConstraintUsage[i].argvIndex = 1;
      info->aConstraintUsage[i].omit = 0;
      info->idxNum = 32;
      info->estimatedRows = 2;
      info->estimatedCost = 2.0;
      const std::string plan = "U:" + std::to_string(static_cast<uint64_t>(info->colUsed)) +
                               ",H:" + std::to_string(c.iColumn) + ",";
      info->idxStr = sqlite3_mprintf("%s", plan.c_str());
      info->needToFreeIdxStr = 1;
      return SQLITE_OK;
    }
  }
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (!c.usable) continue;
    if (c.op == SQLITE_INDEX_CONSTRAINT_LIMIT) {
      limit_constraint = i;
      continue;
    }
    other_constraints = true;
    if (!IsComparison(c.op) || c.iColumn < 0) continue;
    // A masked column is compared by SQLite with its masked value; statistics would prune by
    // the stored one.
    if (vtab->tables->mask_personal_data() && c.iColumn < ncols &&
        st.personal[static_cast<size_t>(c.iColumn)] != PersonalKind::kNone) {
      continue;
    }
    // Text comparisons prune only under the BINARY collation (the order statistics keep).
    const char* coll = sqlite3_vtab_collation(info, i);
    if (coll != nullptr && sqlite3_stricmp(coll, "BINARY") != 0) continue;
    bool in_list = false;
    if (c.op == SQLITE_INDEX_CONSTRAINT_EQ && sqlite3_vtab_in(info, i, -1)) {
      sqlite3_vtab_in(info, i, 1);
      in_list = true;
      idx_num |= 16;
    }
    info->aConstraintUsage[i].argvIndex = ++argv_index;
    info->aConstraintUsage[i].omit = 0;
    idx_str += std::to_string(c.iColumn) + ":" + std::to_string(c.op) + (in_list ? "i," : ",");
    const bool eq = c.op == SQLITE_INDEX_CONSTRAINT_EQ;
    if (c.iColumn >= ncols) {
      idx_num |= 1;
      const int64_t distinct = st.key_distinct[static_cast<size_t>(c.iColumn - ncols)];
      rows /= eq ? static_cast<double>(std::max<int64_t>(distinct, 1)) : 2.0;
    } else {
      if (c.iColumn == st.source_column) idx_num |= 2;
      idx_num |= 4;
      rows /= eq ? 10.0 : 2.0;
    }
  }
  if (limit_constraint >= 0 && !other_constraints && info->nOrderBy == 0) {
    info->aConstraintUsage[limit_constraint].argvIndex = ++argv_index;
    info->aConstraintUsage[limit_constraint].omit = 0;
    idx_str += "L:" + std::to_string(SQLITE_INDEX_CONSTRAINT_LIMIT) + ",";
    idx_num |= 8;
  }
  int used = 0;
  for (int c = 0; c < ncols && c < 63; ++c) {
    if (info->colUsed & (sqlite3_uint64{1} << c)) ++used;
  }
  if (ncols >= 63 && (info->colUsed & (sqlite3_uint64{1} << 63))) used += ncols - 63;
  rows = std::max(rows, 1.0);
  info->estimatedRows = static_cast<sqlite3_int64>(rows);
  info->estimatedCost = rows * (1.0 + used);
  info->idxNum = idx_num;
  idx_str = "U:" + std::to_string(static_cast<uint64_t>(info->colUsed)) + "," + idx_str;
  info->idxStr = sqlite3_mprintf("%s", idx_str.c_str());
  info->needToFreeIdxStr = 1;
  return SQLITE_OK;
}

int xOpen(sqlite3_vtab* v, sqlite3_vtab_cursor** out) {
  auto* cursor = new LakeCursor();
  cursor->vtab = reinterpret_cast<LakeVtab*>(v);
  *out = &cursor->base;
  return SQLITE_OK;
}

int xClose(sqlite3_vtab_cursor* c) {
  delete reinterpret_cast<LakeCursor*>(c);
  return SQLITE_OK;
}

// Opens the next candidate file and its scanner; false when there is none. On error *status.
bool OpenNextFile(LakeCursor* cur, Status* status) {
  LakeTables* tables = cur->vtab->tables;
  LakeTableState* st = cur->vtab->state;
  const size_t ncols = st->table.columns.size();
  while (cur->next_file < cur->files.size()) {
    LakeFileState* file = &st->files[cur->files[cur->next_file++]];
    Result<parquet::ParquetFileReader*> reader = tables->Reader(st, file);
    if (!reader.ok()) {
      *status = reader.status();
      return false;
    }
    const parquet::FileSchema& schema = (*reader)->schema();
    ++tables->counters().files_opened;
    tables->counters().row_groups_total += (*reader)->num_row_groups();
    cur->file = file;
    cur->slot.assign(ncols, -1);
    cur->conv.assign(ncols, Conv::kBlob);
    cur->desc.assign(ncols, nullptr);
    parquet::ScanOptions options;
    for (int c : cur->used_data) {
      Result<int> leaf = schema.FindColumn(st->table.columns[static_cast<size_t>(c)].name);
      if (!leaf.ok()) continue;  // a column this file predates: NULL
      const parquet::ColumnDescriptor& d = schema.column(*leaf);
      cur->slot[static_cast<size_t>(c)] = static_cast<int>(options.columns.size());
      cur->conv[static_cast<size_t>(c)] = ConvFor(d);
      cur->desc[static_cast<size_t>(c)] = &d;
      options.columns.push_back(d.name);
      AddPredicates(d, c, cur->constraints, &options.predicates);
    }
    cur->count_only = options.columns.empty();
    if (cur->count_only) {
      // Rows without values: one row per row of the file, nothing read but the footer.
      cur->batch = parquet::ScanBatch();
      cur->batch.num_rows = (*reader)->num_rows();
      tables->counters().row_groups_read += (*reader)->num_row_groups();
      cur->row = 0;
      if (cur->batch.num_rows > 0) return true;
      continue;
    }
    Result<std::unique_ptr<parquet::ParquetScanner>> scanner =
        parquet::ParquetScanner::Make(*reader, std::move(options));
    if (!scanner.ok()) {
      *status = scanner.status().WithContext(file->file->path);
      return false;
    }
    cur->scanner = std::move(*scanner);
    return true;
  }
  return false;
}

void FinishScanner(LakeCursor* cur) {
  if (cur->scanner == nullptr) return;
  const parquet::ScanStats& s = cur->scanner->stats();
  ScanCounters& k = cur->vtab->tables->counters();
  k.row_groups_read += s.row_groups_read;
  k.row_groups_pruned += s.pruned_by_statistics + s.pruned_by_bloom_filter + s.pruned_by_page_index;
  cur->scanner.reset();
}

// Moves to the next row (loading batches and files as needed); sets eof at the end.
int Advance(LakeCursor* cur) {
  ++cur->row;
  while (cur->row >= cur->batch.num_rows) {
    Status status;
    if (cur->scanner != nullptr) {
      Result<bool> more = cur->scanner->Next(&cur->batch);
      if (!more.ok()) return SetError(cur->vtab, more.status());
      if (*more) {
        cur->row = 0;
        continue;
      }
      FinishScanner(cur);
    }
    cur->batch.num_rows = 0;
    if (!OpenNextFile(cur, &status)) {
      if (!status.ok()) return SetError(cur->vtab, status);
      cur->eof = true;
      return SQLITE_OK;
    }
    cur->row = cur->count_only ? 0 : cur->batch.num_rows;  // a scanner: load its first batch
  }
  return SQLITE_OK;
}

Result<std::shared_ptr<LakeHashIndex>> BuildHashIndex(LakeVtab* vtab, std::vector<int> used,
                                                      int key_column);
// The bytes a key is hashed by; "" for a NULL (which equals nothing).
std::string NumberKey(double d) {
  std::string k(1 + sizeof d, 'n');
  if (d == 0) d = 0;  // -0.0 == 0.0
  std::memcpy(k.data() + 1, &d, sizeof d);
  return k;
}

// Points the cursor at the rows of its hash index whose key column equals `key`.
int HashLookup(LakeCursor* cur, sqlite3_value* key) {
  LakeTableState* st = cur->vtab->state;
  const LakeHashIndex& index = *cur->hash;
  cur->hash_pos = 0;
  cur->rowid = 0;
  static const std::vector<uint32_t> kNone;
  cur->hash_rows = &kNone;
  const table::LakeType type = st->table.columns[static_cast<size_t>(cur->hash_column)].type;
  const bool text_column = type == table::LakeType::kString || type == table::LakeType::kDate ||
                           type == table::LakeType::kTimestamp;
  const int key_type = sqlite3_value_type(key);
  if (key_type == SQLITE_NULL) {
    // NULL = x is never true: no rows.
  } else if ((key_type == SQLITE_TEXT) != text_column || key_type == SQLITE_BLOB ||
             type == table::LakeType::kBinary) {
    cur->hash_rows = &index.all;  // another type than the column's: SQLite compares each
  } else {
    std::string& k = cur->scratch;
    if (key_type == SQLITE_TEXT) {
      k.assign(1, 't');
      k.append(reinterpret_cast<const char*>(sqlite3_value_text(key)),
               static_cast<size_t>(sqlite3_value_bytes(key)));
    } else {
      k = NumberKey(sqlite3_value_double(key));
    }
    auto it = index.rows_by_key.find(k);
    if (it != index.rows_by_key.end()) cur->hash_rows = &it->second;
  }
  cur->eof = cur->hash_rows->empty();
  return SQLITE_OK;
}

int xFilter(sqlite3_vtab_cursor* c, int idx_num, const char* idx_str, int argc,
            sqlite3_value** argv) {
  auto* cur = reinterpret_cast<LakeCursor*>(c);
  LakeTableState* st = cur->vtab->state;
  ScanCounters& counters = cur->vtab->tables->counters();
  // The inner loop of a hash join: the same plan again, only the key differs.
  if (idx_num == 32 && cur->hash != nullptr && cur->hash_plan == idx_str && argc == 1) {
    return HashLookup(cur, argv[0]);
  }
  FinishScanner(cur);
  cur->constraints.clear();
  cur->limit = -1;
  cur->hash.reset();
  int hash_column = -1;
  sqlite3_value* hash_key = nullptr;
  // Decode idxStr ("col:op," items, 'i' marking an IN list, "L:op" the LIMIT) against argv.
  std::string_view plan = idx_str ? idx_str : "";
  int arg = 0;
  cur->used_data.clear();
  const int ncols = static_cast<int>(st->table.columns.size());
  while (!plan.empty()) {
    const size_t comma = plan.find(',');
    std::string_view item = plan.substr(0, comma);
    plan = comma == std::string_view::npos ? std::string_view() : plan.substr(comma + 1);
    const size_t colon = item.find(':');
    std::string_view col = item.substr(0, colon);
    std::string_view op = item.substr(colon + 1);
    if (col == "U") {  // colUsed: the data columns SQLite will read
      const uint64_t used = std::strtoull(std::string(op).c_str(), nullptr, 10);
      for (int i = 0; i < ncols; ++i) {
        if (i >= 63 ? (used >> 63) & 1 : (used >> i) & 1) cur->used_data.push_back(i);
      }
      continue;
    }
    if (arg >= argc) break;
    sqlite3_value* value = argv[arg++];
    if (col == "H") {
      hash_column = std::atoi(std::string(op).c_str());
      hash_key = value;
      continue;
    }
    if (col == "L") {
      if (sqlite3_value_type(value) == SQLITE_INTEGER) cur->limit = sqlite3_value_int64(value);
      continue;
    }
    PlanConstraint pc;
    pc.column = std::atoi(std::string(col).c_str());
    pc.op = std::atoi(std::string(op).c_str());
    if (!op.empty() && op.back() == 'i') {
      sqlite3_value* item_value = nullptr;
      for (int rc = sqlite3_vtab_in_first(value, &item_value); rc == SQLITE_OK && item_value;
           rc = sqlite3_vtab_in_next(value, &item_value)) {
        pc.values.push_back(CopySqlValue(item_value));
      }
    } else {
      pc.values.push_back(CopySqlValue(value));
    }
    cur->constraints.push_back(std::move(pc));
  }
  (void)idx_num;
  if (hash_column >= 0) {
    const std::string name = std::to_string(hash_column) + ":" + std::string(idx_str);
    auto& cached = st->hashes[name];
    if (cached == nullptr) {
      Result<std::shared_ptr<LakeHashIndex>> built =
          BuildHashIndex(cur->vtab, cur->used_data, hash_column);
      if (!built.ok()) {
        st->hashes.erase(name);
        return SetError(cur->vtab, built.status());
      }
      cached = std::move(*built);
    }
    cur->hash = cached;
    cur->hash_plan = idx_str;
    cur->hash_column = hash_column;
    return HashLookup(cur, hash_key);
  }
  const DayRange days = SourceDayRange(*st, cur->constraints);
  cur->files.clear();
  counters.files_total += static_cast<int64_t>(st->files.size());
  for (size_t i = 0; i < st->files.size(); ++i) {
    if (FileMayMatch(*st, st->files[i], cur->constraints, days)) {
      cur->files.push_back(i);
    } else {
      ++counters.files_pruned;
    }
  }
  cur->next_file = 0;
  cur->batch = parquet::ScanBatch();
  cur->row = -1;
  cur->rowid = 0;
  cur->eof = false;
  if (cur->limit == 0) {
    cur->eof = true;
    return SQLITE_OK;
  }
  return Advance(cur);
}

int xNext(sqlite3_vtab_cursor* c) {
  auto* cur = reinterpret_cast<LakeCursor*>(c);
  ++cur->rowid;
  ++cur->vtab->tables->counters().rows_read;
  if (cur->hash != nullptr) {
    cur->eof = ++cur->hash_pos >= cur->hash_rows->size();
    return SQLITE_OK;
  }
  if (cur->limit >= 0 && cur->rowid >= cur->limit) {
    FinishScanner(cur);
    cur->eof = true;
    return SQLITE_OK;
  }
  return Advance(cur);
}

int xEof(sqlite3_vtab_cursor* c) { return reinterpret_cast<LakeCursor*>(c)->eof ? 1 : 0; }

int xRowid(sqlite3_vtab_cursor* c, sqlite3_int64* rowid) {
  *rowid = reinterpret_cast<LakeCursor*>(c)->rowid;
  return SQLITE_OK;
}

void ResultText(sqlite3_context* ctx, std::string_view s) {
  sqlite3_result_text(ctx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

// Where EmitColumn writes a value: SQLite's result, or a cell of a hash index.
struct SqliteOut {
  sqlite3_context* ctx;
  void Null() { sqlite3_result_null(ctx); }
  void Int(int64_t v) { sqlite3_result_int64(ctx, v); }
  void Double(double v) { sqlite3_result_double(ctx, v); }
  void Text(std::string_view s) { ResultText(ctx, s); }
  void Blob(std::string_view b) {
    sqlite3_result_blob(ctx, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
  }
};
struct CellOut {
  LakeHashIndex::Cell* cell;
  void Null() { cell->type = SQLITE_NULL; }
  void Int(int64_t v) {
    cell->type = SQLITE_INTEGER;
    cell->i = v;
  }
  void Double(double v) {
    cell->type = SQLITE_FLOAT;
    cell->d = v;
  }
  void Text(std::string_view s) {
    cell->type = SQLITE_TEXT;
    cell->s.assign(s);
  }
  void Blob(std::string_view b) {
    cell->type = SQLITE_BLOB;
    cell->s.assign(b);
  }
};

template <class Out>
int EmitColumn(LakeCursor* cur, Out& ctx, int i) {
  const LakeTableState& st = *cur->vtab->state;
  const int ncols = static_cast<int>(st.table.columns.size());
  if (i >= ncols) {
    const auto k = static_cast<size_t>(i - ncols);
    if (cur->file == nullptr || k >= cur->file->file->partition.size()) {
      ctx.Null();
    } else if (st.table.partition_keys[k].type != table::LakeType::kString &&
               cur->file->key_ints[k]) {
      ctx.Int(*cur->file->key_ints[k]);
    } else {
      ctx.Text(cur->file->file->partition[k].second);
    }
    return SQLITE_OK;
  }
  const int slot = cur->slot.empty() ? -1 : cur->slot[static_cast<size_t>(i)];
  if (slot < 0) {
    ctx.Null();
    return SQLITE_OK;
  }
  const parquet::ColumnVector& v = cur->batch.columns[static_cast<size_t>(slot)];
  const int64_t r = cur->row;
  if (v.IsNull(r)) {
    ctx.Null();
    return SQLITE_OK;
  }
  const auto ur = static_cast<size_t>(r);
  const parquet::ColumnDescriptor& d = *cur->desc[static_cast<size_t>(i)];
  const Conv conv = cur->conv[static_cast<size_t>(i)];
  if (cur->vtab->tables->mask_personal_data() && (conv == Conv::kText || conv == Conv::kBlob)) {
    const PersonalKind kind = st.personal[static_cast<size_t>(i)];
    if (kind != PersonalKind::kNone) {
      ctx.Text(MaskPersonal(kind, v.BinaryAt(r)));
      return SQLITE_OK;
    }
  }
  switch (cur->conv[static_cast<size_t>(i)]) {
    case Conv::kInt32:
      ctx.Int(v.int32s[ur]);
      break;
    case Conv::kUInt32:
      ctx.Int(static_cast<uint32_t>(v.int32s[ur]));
      break;
    case Conv::kInt64:
      ctx.Int(v.int64s[ur]);
      break;
    case Conv::kUInt64: {
      const auto u = static_cast<uint64_t>(v.int64s[ur]);
      if (u > static_cast<uint64_t>(INT64_MAX)) {
        ctx.Double(static_cast<double>(u));
      } else {
        ctx.Int(static_cast<int64_t>(u));
      }
      break;
    }
    case Conv::kBool:
      ctx.Int(v.bools[ur] ? 1 : 0);
      break;
    case Conv::kFloat:
      ctx.Double(v.floats[ur]);
      break;
    case Conv::kDouble:
      ctx.Double(v.doubles[ur]);
      break;
    case Conv::kText:
      ctx.Text(v.BinaryAt(r));
      break;
    case Conv::kBlob: {
      std::string_view b = v.BinaryAt(r);
      ctx.Blob(b);
      break;
    }
    case Conv::kDecimal32:
      ctx.Double(DecimalToDouble(v.int32s[ur], d.decimal_scale));
      break;
    case Conv::kDecimal64:
      ctx.Double(DecimalToDouble(v.int64s[ur], d.decimal_scale));
      break;
    case Conv::kDecimalBytes: {
      const std::string text = parquet::BigEndianDecimalToString(v.BinaryAt(r), d.decimal_scale);
      ctx.Double(std::strtod(text.c_str(), nullptr));
      break;
    }
    case Conv::kTimestamp: {
      int64_t t = v.int64s[ur];
      if (d.time_unit == parquet::TimeUnit::kMillis) t *= 1000;
      if (d.time_unit == parquet::TimeUnit::kNanos) t = t >= 0 ? t / 1000 : -((-t + 999) / 1000);
      cur->scratch.clear();
      AppendSqlTimestamp(&cur->scratch, t);
      ctx.Text(cur->scratch);
      break;
    }
    case Conv::kInt96: {
      const parquet::SecondsAndNanos t = parquet::Int96ToTime(v.BinaryAt(r));
      ctx.Text(FormatSqlTimestamp(t.seconds * 1000000 + t.nanos / 1000));
      break;
    }
    case Conv::kDate:
      ctx.Text(parquet::FormatDate(v.int32s[ur]));
      break;
    case Conv::kTime:
      ctx.Text(parquet::FormatTimeOfDay(
          d.physical_type == parquet::Type::kInt32 ? v.int32s[ur] : v.int64s[ur], d.time_unit));
      break;
    case Conv::kUuid:
      ctx.Text(parquet::FormatUuid(v.BinaryAt(r)));
      break;
    case Conv::kFloat16: {
      std::string_view b = v.BinaryAt(r);
      uint16_t h = 0;
      if (b.size() == 2)
        h = static_cast<uint16_t>(static_cast<uint8_t>(b[0]) | (static_cast<uint8_t>(b[1]) << 8));
      ctx.Double(parquet::HalfToFloat(h));
      break;
    }
  }
  return SQLITE_OK;
}

int xColumn(sqlite3_vtab_cursor* c, sqlite3_context* ctx, int i) {
  auto* cur = reinterpret_cast<LakeCursor*>(c);
  if (cur->hash != nullptr) {
    const LakeHashIndex& h = *cur->hash;
    const auto row = static_cast<size_t>((*cur->hash_rows)[cur->hash_pos]);
    const int slot = h.slot[static_cast<size_t>(i)];
    if (slot < 0) {
      sqlite3_result_null(ctx);
      return SQLITE_OK;
    }
    const LakeHashIndex::Cell& cell =
        h.cells[row * static_cast<size_t>(h.width) + static_cast<size_t>(slot)];
    switch (cell.type) {
      case SQLITE_INTEGER:
        sqlite3_result_int64(ctx, cell.i);
        break;
      case SQLITE_FLOAT:
        sqlite3_result_double(ctx, cell.d);
        break;
      case SQLITE_TEXT:
        ResultText(ctx, cell.s);
        break;
      case SQLITE_BLOB:
        sqlite3_result_blob(ctx, cell.s.data(), static_cast<int>(cell.s.size()), SQLITE_TRANSIENT);
        break;
      default:
        sqlite3_result_null(ctx);
    }
    return SQLITE_OK;
  }
  SqliteOut out{ctx};
  return EmitColumn(cur, out, i);
}

Result<std::shared_ptr<LakeHashIndex>> BuildHashIndex(LakeVtab* vtab, std::vector<int> used,
                                                      int key_column) {
  LakeTableState* st = vtab->state;
  const int ncols = static_cast<int>(st->table.columns.size());
  const int width = ncols + static_cast<int>(st->table.partition_keys.size());
  if (std::find(used.begin(), used.end(), key_column) == used.end()) used.push_back(key_column);
  std::sort(used.begin(), used.end());
  // A full scan of the table through a cursor of its own (every file, no constraint).
  LakeCursor scan;
  scan.vtab = vtab;
  scan.used_data = used;
  for (size_t i = 0; i < st->files.size(); ++i) scan.files.push_back(i);
  vtab->tables->counters().files_total += static_cast<int64_t>(st->files.size());
  scan.row = -1;
  scan.eof = false;
  auto index = std::make_shared<LakeHashIndex>();
  index->slot.assign(static_cast<size_t>(width), -1);
  for (int col = 0; col < width; ++col) {
    if (col >= ncols || std::binary_search(used.begin(), used.end(), col)) {
      index->slot[static_cast<size_t>(col)] = index->width++;
    }
  }
  if (Advance(&scan) != SQLITE_OK) return vtab->tables->error();
  for (uint32_t row = 0; !scan.eof; ++row) {
    const auto kept = static_cast<size_t>(index->width);
    index->cells.resize(index->cells.size() + kept);
    LakeHashIndex::Cell* cells = &index->cells[index->cells.size() - kept];
    for (int col = 0; col < width; ++col) {
      const int slot = index->slot[static_cast<size_t>(col)];
      if (slot < 0) continue;
      CellOut out{&cells[slot]};
      EmitColumn(&scan, out, col);
    }
    const LakeHashIndex::Cell& key = cells[index->slot[static_cast<size_t>(key_column)]];
    if (key.type == SQLITE_TEXT) {
      index->rows_by_key["t" + key.s].push_back(row);
    } else if (key.type == SQLITE_INTEGER || key.type == SQLITE_FLOAT) {
      index->rows_by_key[NumberKey(key.type == SQLITE_INTEGER ? static_cast<double>(key.i) : key.d)]
          .push_back(row);
    }
    index->all.push_back(row);
    if (Advance(&scan) != SQLITE_OK) return vtab->tables->error();
  }
  return index;
}

int xReadOnly(sqlite3_vtab* v, int, sqlite3_value**, sqlite3_int64*) {
  auto* vtab = reinterpret_cast<LakeVtab*>(v);
  sqlite3_free(vtab->base.zErrMsg);
  vtab->base.zErrMsg = sqlite3_mprintf("lake tables are read-only");
  return SQLITE_READONLY;
}

sqlite3_module MakeModule() {
  sqlite3_module m{};
  m.iVersion = 0;
  m.xCreate = xConnect;
  m.xConnect = xConnect;
  m.xBestIndex = xBestIndex;
  m.xDisconnect = xDisconnect;
  m.xDestroy = xDisconnect;
  m.xOpen = xOpen;
  m.xClose = xClose;
  m.xFilter = xFilter;
  m.xNext = xNext;
  m.xEof = xEof;
  m.xColumn = xColumn;
  m.xRowid = xRowid;
  m.xUpdate = xReadOnly;
  return m;
}

const sqlite3_module kModule = MakeModule();

std::optional<int64_t> ParseInt64(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string DeclaredType(const table::LakeColumn& c) {
  switch (c.type) {
    case table::LakeType::kBoolean:
      return "BOOLEAN";
    case table::LakeType::kInt32:
      return "INTEGER";
    case table::LakeType::kInt64:
      return "BIGINT";
    case table::LakeType::kFloat:
      return "FLOAT";
    case table::LakeType::kDouble:
      return "DOUBLE";
    case table::LakeType::kDecimal:
      return "DECIMAL(" + std::to_string(c.precision) + "," + std::to_string(c.scale) + ")";
    case table::LakeType::kString:
      return "VARCHAR";
    case table::LakeType::kBinary:
      return "BLOB";
    case table::LakeType::kDate:
      return "DATE";
    case table::LakeType::kTimestamp:
      return "TIMESTAMP";
  }
  return "BLOB";
}

LakeTables::LakeTables(std::shared_ptr<io::FileSystem> fs, std::vector<table::LakeTable> tables)
    : fs_(std::move(fs)), tables_(std::move(tables)) {
  states_.resize(tables_.size());
  for (size_t t = 0; t < tables_.size(); ++t) {
    LakeTableState& st = states_[t];
    st.table = tables_[t];
    const auto& keys = st.table.partition_keys;
    int year = -1, month = -1, day = -1;
    for (size_t k = 0; k < keys.size(); ++k) {
      if (keys[k].name == "year") year = static_cast<int>(k);
      if (keys[k].name == "month") month = static_cast<int>(k);
      if (keys[k].name == "day") day = static_cast<int>(k);
    }
    // The column the day partitions derive from: raw and quarantine are partitioned by
    // ingestion, main/sales by the sale's timestamp, daily_sales by its date.
    for (const char* name : {"_ingested_at", "timestamp", "date"}) {
      if (st.source_column >= 0 || year < 0 || month < 0 || day < 0) break;
      for (size_t c = 0; c < st.table.columns.size(); ++c) {
        const auto type = st.table.columns[c].type;
        if (st.table.columns[c].name == name &&
            (type == table::LakeType::kTimestamp || type == table::LakeType::kDate)) {
          st.source_column = static_cast<int>(c);
        }
      }
    }
    for (const table::LakeColumn& c : st.table.columns) {
      st.personal.push_back(PersonalKindOf(c.name));
    }
    std::vector<std::set<std::string>> distinct(keys.size());
    st.files.resize(st.table.files.size());
    for (size_t f = 0; f < st.table.files.size(); ++f) {
      LakeFileState& fs_state = st.files[f];
      fs_state.file = &st.table.files[f];
      st.total_rows += fs_state.file->rows;
      fs_state.key_ints.resize(fs_state.file->partition.size());
      for (size_t k = 0; k < fs_state.file->partition.size(); ++k) {
        fs_state.key_ints[k] = ParseInt64(fs_state.file->partition[k].second);
        if (k < distinct.size()) distinct[k].insert(fs_state.file->partition[k].second);
      }
      if (year >= 0 && month >= 0 && day >= 0 &&
          static_cast<size_t>(std::max({year, month, day})) < fs_state.key_ints.size()) {
        auto y = fs_state.key_ints[static_cast<size_t>(year)];
        auto m = fs_state.key_ints[static_cast<size_t>(month)];
        auto d = fs_state.key_ints[static_cast<size_t>(day)];
        if (y && m && d && *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31) {
          fs_state.day =
              DaysFromCivil({static_cast<int>(*y), static_cast<int>(*m), static_cast<int>(*d)});
        }
      }
    }
    for (const auto& s : distinct) st.key_distinct.push_back(static_cast<int64_t>(s.size()));
  }
}

Result<parquet::ParquetFileReader*> LakeTables::Reader(LakeTableState* table, LakeFileState* file) {
  (void)table;
  if (!file->file->unreadable.empty()) {
    return Status::Corruption(fmt::format(
        "committed file {} cannot be read: {} (restore it, or see 'saleslake catalog problems')",
        file->file->path, file->file->unreadable));
  }
  if (file->reader == nullptr) {
    SL_ASSIGN_OR_RETURN(std::unique_ptr<io::RandomAccessFile> f,
                        fs_->OpenForRead(file->file->path));
    parquet::ReaderOptions options;
    options.keep_dictionaries = true;
    SL_ASSIGN_OR_RETURN(file->reader, parquet::ParquetFileReader::Open(
                                          std::shared_ptr<io::RandomAccessFile>(std::move(f)),
                                          options, file->file->path));
  }
  return file->reader.get();
}

int RegisterLakeModule(sqlite3* db, LakeTables* tables) {
  return sqlite3_create_module_v2(db, "lake", &kModule, tables, nullptr);
}

}  // namespace saleslake::sql
