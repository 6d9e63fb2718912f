#include "catalog/sqlite_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace saleslake::catalog {
namespace {

Status Error(sqlite3* db, std::string_view where, std::string_view what) {
  int code = db != nullptr ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  std::string message = fmt::format("catalog {}: {}: {}", where, what,
                                    db != nullptr ? sqlite3_errmsg(db) : "out of memory");
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
    return Status::Aborted(message + " (another process is writing the catalog; retry)");
  }
  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB) {
    return Status::Corruption(message + " (delete the catalog file and crawl again)");
  }
  if ((code & 0xff) == SQLITE_READONLY || (code & 0xff) == SQLITE_CANTOPEN ||
      (code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL) {
    return Status::IOError(message);
  }
  return Status::Internal(message);
}

}  // namespace

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), where_(std::move(other.where_)) {
  other.stmt_ = nullptr;
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

void SqliteStatement::BindText(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}
void SqliteStatement::BindInt(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
void SqliteStatement::BindDouble(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
}
void SqliteStatement::BindBlob(int index, std::string_view value) {
  sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}
void SqliteStatement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

Result<bool> SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error(db_, where_, sqlite3_sql(stmt_));
}

Status SqliteStatement::Run() {
  while (true) {
    SL_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) break;
  }
  Reset();
  return Status::OK();
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
int64_t SqliteStatement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }
double SqliteStatement::ColumnDouble(int column) const {
  return sqlite3_column_double(stmt_, column);
}
std::string SqliteStatement::ColumnText(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), n);
}
std::optional<std::string> SqliteStatement::ColumnOptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return ColumnText(column);
}
int SqliteStatement::ColumnType(int column) const { return sqlite3_column_type(stmt_, column); }

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = rc == SQLITE_CANTOPEN && !create
                   ? Status::NotFound(fmt::format(
                         "catalog {} does not exist: run 'saleslake crawl' first", path))
                   : Error(db, path, "open");
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<SqliteDb> out(new SqliteDb(db, path));
  sqlite3_busy_timeout(db, 10000);
  SL_RETURN_IF_ERROR(out->Exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"));
  return out;
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

Status SqliteDb::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::OK();
  sqlite3_free(message);
  return Error(db_, path_, text.substr(0, 120));
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(db_, path_, sql.substr(0, 120));
  return SqliteStatement(db_, stmt, path_);
}

Result<std::optional<int64_t>> SqliteDb::QueryInt(std::string_view sql) {
  SL_ASSIGN_OR_RETURN(SqliteStatement st, Prepare(sql));
  SL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.IsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(st.ColumnInt(0));
}

int64_t SqliteDb::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

Status SqliteDb::Begin() { return Exec("BEGIN IMMEDIATE"); }
Status SqliteDb::Commit() { return Exec("COMMIT"); }
void SqliteDb::Rollback() { Exec("ROLLBACK").IgnoreError(); }

}  // namespace saleslake::catalog
