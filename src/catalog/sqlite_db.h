// SqliteDb and SqliteStatement: a small RAII layer over the SQLite C API for the catalog. Every
// call returns a Status naming the SQL that failed and the database file; nothing throws.
//
//   SL_ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path));
//   SL_ASSIGN_OR_RETURN(auto st, db->Prepare("SELECT name FROM tables WHERE layer = ?1"));
//   st.BindText(1, "main");
//   while (true) {
//     SL_ASSIGN_OR_RETURN(bool row, st.Step());
//     if (!row) break;
//     use(st.ColumnText(0));
//   }
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace saleslake::catalog {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string where)
      : db_(db), stmt_(stmt), where_(std::move(where)) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQLite.
  void BindText(int index, std::string_view value);
  void BindInt(int index, int64_t value);
  void BindDouble(int index, double value);
  void BindBlob(int index, std::string_view value);
  void BindNull(int index);
  // True when a row is available, false when the statement is done.
  Result<bool> Step();
  // Runs to completion (statements that return no rows).
  Status Run();
  // Clears bindings and rewinds, for the next execution.
  void Reset();

  bool IsNull(int column) const;
  int64_t ColumnInt(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  std::optional<std::string> ColumnOptionalText(int column) const;
  // The SQLite storage class of the value: SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, ...
  int ColumnType(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string where_;
};

class SqliteDb {
 public:
  // Opens (creating when `create`) the database file; WAL journal so that readers (the dashboard,
  // `catalog` commands) are never blocked by a crawl, and a busy timeout for writers.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, bool create);
  ~SqliteDb();

  const std::string& path() const { return path_; }
  // One or more statements without results.
  Status Exec(std::string_view sql);
  Result<SqliteStatement> Prepare(std::string_view sql);
  // The first column of the first row, or nullopt when there is no row.
  Result<std::optional<int64_t>> QueryInt(std::string_view sql);

  int64_t LastInsertRowId() const;

  // BEGIN IMMEDIATE / COMMIT / ROLLBACK.
  Status Begin();
  Status Commit();
  void Rollback();

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

}  // namespace saleslake::catalog
