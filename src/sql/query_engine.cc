#include "sql/query_engine.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <mutex>
#include <set>

#include "base/clock.h"
#include "base/strings.h"
#include "sql/aggregate_query.h"
#include "sql/dialect/trino_functions.h"
#include "sql/lake_vtab.h"
#include "sql/personal_data.h"
#include "sql/sql_functions.h"

namespace saleslake::sql {
namespace {

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

// Pragmas that only read: allowed with no argument (a pragma with an argument may set state).
bool IsReadOnlyPragma(const char* name, const char* arg) {
  static const std::set<std::string> kReadOnly = {
      "table_info",     "table_xinfo", "table_list", "function_list", "module_list",
      "collation_list", "index_list",  "index_info", "index_xinfo",   "foreign_key_list"};
  static const std::set<std::string> kReadOnlyWithoutArgument = {
      "compile_options", "encoding", "page_size", "user_version", "schema_version"};
  if (name == nullptr) return false;
  const std::string n = Lower(name);
  if (kReadOnly.count(n) != 0) return true;  // their argument names a table, not a value
  return arg == nullptr && kReadOnlyWithoutArgument.count(n) != 0;
}

// Functions SQLite exposes that no query over the lake needs and that reach outside the
// statement: pointers into the library (fts3_tokenizer returns one and, with two arguments,
// installs any address as a tokenizer), files (readfile, writefile, edit: the shell's, absent
// from the library, refused should a build ever register them), shared libraries
// (load_extension, also switched off on the connection), the FTS5 API pointer (fts5), the
// process's log (sqlite_log), and the R-tree debugging functions that decode any blob given as a
// node (rtreenode, rtreedepth, rtreecheck; no R-tree exists here).
// docs/security.md lists the audit of every function the library registers.
bool IsRefusedFunction(const char* name) {
  static const std::set<std::string> kRefused = {
      "fts3_tokenizer", "load_extension", "readfile",  "writefile",  "edit",
      "fts5",           "sqlite_log",     "rtreenode", "rtreedepth", "rtreecheck"};
  return name != nullptr && kRefused.count(Lower(name)) != 0;
}

}  // namespace

struct QueryEngine::Impl {
  std::unique_ptr<LakeTables> tables;
  sqlite3* db = nullptr;
  std::mutex mu;  // one Execute at a time
  std::atomic<bool> interrupted{false};
  int64_t deadline_micros = 0;  // 0: none
  bool timed_out = false;
  std::string denied;            // what the authorizer refused last
  bool internal = false;         // the engine's own settings statements (allowed by the authorizer)
  int case_sensitive_like = -1;  // the LIKE now registered: 1 Trino's, 0 SQLite's, -1 unset

  // Trino's LIKE is case-sensitive, SQLite's is not; `"name"` is always a name in Trino, while
  // SQLite reads an unknown one as a string. Both are connection settings, set per statement.
  void UseDialect(Dialect dialect) {
    const int trino = dialect == Dialect::kSqlite ? 0 : 1;
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 1 - trino, nullptr);
    if (case_sensitive_like == trino) return;
    internal = true;
    sqlite3_exec(db, trino ? "PRAGMA case_sensitive_like = 1" : "PRAGMA case_sensitive_like = 0",
                 nullptr, nullptr, nullptr);
    internal = false;
    case_sensitive_like = trino;
  }

  ~Impl() {
    if (db != nullptr) sqlite3_close_v2(db);
  }

  static int Authorize(void* self, int action, const char* a, const char* b, const char*,
                       const char*) {
    auto* impl = static_cast<Impl*>(self);
    if (impl->internal) return SQLITE_OK;
    switch (action) {
      case SQLITE_SELECT:
      case SQLITE_READ:
      case SQLITE_RECURSIVE:
        return SQLITE_OK;
      case SQLITE_FUNCTION:  // b: the function's name
        if (!IsRefusedFunction(b)) return SQLITE_OK;
        impl->denied = fmt::format("the function {}()", Lower(b));
        return SQLITE_DENY;
      case SQLITE_PRAGMA:
        if (IsReadOnlyPragma(a, b)) return SQLITE_OK;
        impl->denied = fmt::format("PRAGMA {}{}", a ? a : "", b ? " = value" : "");
        return SQLITE_DENY;
      case SQLITE_ATTACH:
        impl->denied = "ATTACH";
        return SQLITE_DENY;
      case SQLITE_DETACH:
        impl->denied = "DETACH";
        return SQLITE_DENY;
      case SQLITE_INSERT:
        impl->denied = "INSERT";
        return SQLITE_DENY;
      case SQLITE_UPDATE:
        impl->denied = "UPDATE";
        return SQLITE_DENY;
      case SQLITE_DELETE:
        impl->denied = "DELETE";
        return SQLITE_DENY;
      case SQLITE_TRANSACTION:
        impl->denied = "a transaction statement";
        return SQLITE_DENY;
      case SQLITE_SAVEPOINT:
        impl->denied = "SAVEPOINT";
        return SQLITE_DENY;
      case SQLITE_ALTER_TABLE:
        impl->denied = "ALTER TABLE";
        return SQLITE_DENY;
      case SQLITE_ANALYZE:
        impl->denied = "ANALYZE";
        return SQLITE_DENY;
      case SQLITE_REINDEX:
        impl->denied = "REINDEX";
        return SQLITE_DENY;
      default:
        impl->denied = "CREATE/DROP and other statements that change the database";
        return SQLITE_DENY;
    }
  }

  static int Progress(void* self) {
    auto* impl = static_cast<Impl*>(self);
    if (impl->interrupted.load(std::memory_order_relaxed)) return 1;
    if (impl->deadline_micros != 0 && MonotonicMicros() > impl->deadline_micros) {
      impl->timed_out = true;
      return 1;
    }
    return 0;
  }
};

QueryEngine::QueryEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QueryEngine::~QueryEngine() = default;

Result<std::unique_ptr<QueryEngine>> QueryEngine::Open(std::shared_ptr<io::FileSystem> fs,
                                                       std::vector<table::LakeTable> tables,
                                                       const Setup& setup) {
  std::set<std::string> names;
  for (const auto& t : tables) {
    for (const std::string* n : [&] {
           std::vector<const std::string*> all{&t.name};
           for (const auto& a : t.aliases) all.push_back(&a);
           return all;
         }()) {
      if (n->empty()) return Status::InvalidArgument("a lake table without a name");
      if (!names.insert(Lower(*n)).second) {
        return Status::InvalidArgument(
            fmt::format("two lake tables (or aliases) are named '{}': names must be unique", *n));
      }
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->tables = std::make_unique<LakeTables>(std::move(fs), std::move(tables));
  int rc =
      sqlite3_open_v2(":memory:", &impl->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    return Status::Internal(fmt::format("sqlite: cannot open a connection: {}",
                                        impl->db ? sqlite3_errmsg(impl->db) : "out of memory"));
  }
  sqlite3* db = impl->db;
  sqlite3_extended_result_codes(db, 1);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 64 << 20);
  rc = RegisterSqlFunctions(db);
  if (rc == SQLITE_OK) rc = RegisterTrinoFunctions(db);
  if (rc == SQLITE_OK) rc = RegisterLakeModule(db, impl->tables.get());
  if (rc != SQLITE_OK) {
    return Status::Internal(
        fmt::format("sqlite: cannot register functions: {}", sqlite3_errmsg(db)));
  }
  const auto& registered = impl->tables->tables();
  for (size_t i = 0; i < registered.size(); ++i) {
    std::vector<std::string> all{registered[i].name};
    all.insert(all.end(), registered[i].aliases.begin(), registered[i].aliases.end());
    for (const std::string& name : all) {
      const std::string sql =
          fmt::format("CREATE VIRTUAL TABLE {} USING lake({})", QuoteIdentifier(name), i);
      char* err = nullptr;
      rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
      if (rc != SQLITE_OK) {
        Status s = Status::InvalidArgument(
            fmt::format("cannot register lake table '{}': {}", name, err ? err : "?"));
        sqlite3_free(err);
        return s;
      }
    }
  }
  if (setup) {
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 4);
    SL_RETURN_IF_ERROR(setup(db));
  }
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_set_authorizer(db, &Impl::Authorize, impl.get());
  sqlite3_progress_handler(db, 4000, &Impl::Progress, impl.get());
  return std::unique_ptr<QueryEngine>(new QueryEngine(std::move(impl)));
}

const std::vector<table::LakeTable>& QueryEngine::tables() const { return impl_->tables->tables(); }

void QueryEngine::Interrupt() {
  impl_->interrupted.store(true);
  sqlite3_interrupt(impl_->db);
}

namespace {

void Locate(std::string_view sql, int offset, QueryError* where) {
  where->offset = offset;
  where->line = 1;
  where->column = 1;
  for (int i = 0; i < offset && i < static_cast<int>(sql.size()); ++i) {
    if (sql[static_cast<size_t>(i)] == '\n') {
      ++where->line;
      where->column = 1;
    } else {
      ++where->column;
    }
  }
}

// Each column's declared type: SQLite's (a lake column), else the dialect's typing of the SELECT
// list (SUM(total) * 1 is DECIMAL(38,2), CAST(timestamp AS DATE) a DATE); and each DECIMAL
// column's scale from it.
void ApplyDialectTypes(const Translation& translation, QueryResult* result) {
  for (size_t i = 0; i < result->columns.size(); ++i) {
    QueryColumn& c = result->columns[i];
    if (c.declared_type.empty() && translation.result_types.size() == result->columns.size()) {
      c.declared_type = translation.result_types[i];
    }
    int precision = 0, scale = -1;
    if (std::sscanf(c.declared_type.c_str(), "DECIMAL(%d,%d)", &precision, &scale) == 2) {
      c.scale = scale;
    }
  }
}

// The statement's own verb as written, upper-cased: "DROP TABLE", "CREATE VIEW", "INSERT",
// "BEGIN", "VACUUM"; "" for SELECT, WITH, VALUES, EXPLAIN and PRAGMA (whose refusals the
// authorizer names, e.g. "PRAGMA writable_schema = value" or the INSERT inside a WITH).
std::string StatementVerb(std::string_view sql) {
  auto skip_blank = [&sql] {
    while (!sql.empty()) {
      if (std::isspace(static_cast<unsigned char>(sql.front()))) {
        sql.remove_prefix(1);
      } else if (sql.substr(0, 2) == "--") {
        size_t nl = sql.find('\n');
        sql.remove_prefix(nl == std::string_view::npos ? sql.size() : nl + 1);
      } else if (sql.substr(0, 2) == "/*") {
        size_t end = sql.find("*/", 2);
        sql.remove_prefix(end == std::string_view::npos ? sql.size() : end + 2);
      } else {
        return;
      }
    }
  };
  auto word = [&]() {
    skip_blank();
    std::string w;
    while (!sql.empty() && (std::isalpha(static_cast<unsigned char>(sql.front())) != 0)) {
      w.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql.front()))));
      sql.remove_prefix(1);
    }
    return w;
  };
  std::string verb = word();
  if (verb == "SELECT" || verb == "WITH" || verb == "VALUES" || verb == "EXPLAIN" ||
      verb == "PRAGMA") {
    return "";
  }
  if (verb == "CREATE" || verb == "DROP" || verb == "ALTER") {
    // Up to the kind of object: CREATE [TEMP|TEMPORARY] [UNIQUE|VIRTUAL] TABLE|VIEW|INDEX|TRIGGER.
    for (int i = 0; i < 3; ++i) {
      std::string next = word();
      if (next.empty()) break;
      verb += " " + next;
      if (next == "TABLE" || next == "VIEW" || next == "INDEX" || next == "TRIGGER") break;
    }
  }
  return verb;
}

bool OnlyBlankOrComments(const char* tail) {
  // sqlite3_complete-style scan is overkill; let SQLite tell: preparing it yields no statement.
  return tail == nullptr || *tail == '\0';
}

}  // namespace

Result<QueryResult> QueryEngine::Execute(const std::string& sql, const QueryOptions& options,
                                         QueryError* error) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  Impl& impl = *impl_;
  sqlite3* db = impl.db;
  QueryError where_local;
  QueryError* where = error ? error : &where_local;
  *where = QueryError();
  const int64_t start = MonotonicMicros();
  impl.interrupted.store(false);
  impl.timed_out = false;
  impl.denied.clear();
  impl.deadline_micros =
      options.timeout_seconds > 0 ? start + static_cast<int64_t>(options.timeout_seconds * 1e6) : 0;
  impl.tables->counters() = ScanCounters();
  impl.tables->BeginStatement();
  impl.tables->error() = Status::OK();
  impl.tables->mask_personal_data() = options.mask_personal_data;

  Result<Translation> translated = TranslateStatement(sql, options.dialect, impl.tables->tables());
  if (!translated.ok()) return translated.status();
  if (translated->kind == Translation::Kind::kNoOp) {
    QueryResult none;
    none.elapsed_seconds = static_cast<double>(MonotonicMicros() - start) / 1e6;
    return none;
  }
  impl.UseDialect(options.dialect);
  // Positions of errors are the statement's own when the rewrite left it as written.
  const std::string& run = translated->sql;

  auto fail = [&](int rc, std::string_view what) -> Status {
    const int offset = sqlite3_error_offset(db);
    std::string message = sqlite3_errmsg(db);
    if (impl.timed_out) {
      return Status::Timeout(fmt::format(
          "the query ran longer than its timeout of {}s and was stopped (raise --timeout, or "
          "narrow it: a WHERE on year/month/day or timestamp reads fewer files)",
          options.timeout_seconds));
    }
    if (impl.interrupted.load() || (rc & 0xff) == SQLITE_INTERRUPT) {
      return Status::Timeout("the query was interrupted");
    }
    // A refused function fails with SQLITE_ERROR ("not authorized to use function"), the rest
    // with SQLITE_AUTH; `denied` says which the authorizer refused either way. A refused write is
    // named by the statement's own verb.
    if ((rc & 0xff) == SQLITE_AUTH || !impl.denied.empty()) {
      std::string verb = StatementVerb(sql);
      if (verb.empty()) verb = impl.denied.empty() ? "this statement" : impl.denied;
      return Status::PermissionDenied(fmt::format(
          "{} is not allowed: SQL over the lake is read-only (SELECT, WITH, read-only PRAGMAs, "
          "functions that stay inside the query)",
          verb));
    }
    if (!impl.tables->error().ok()) return impl.tables->error();
    if (offset >= 0 && !translated->changed) {
      Locate(sql, offset, where);
      message += fmt::format(" (at line {}, column {})", where->line, where->column);
    }
    return Status::InvalidArgument(fmt::format("{}{}", what, message));
  };

  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db, run.c_str(), static_cast<int>(run.size()), 0, &stmt, &tail);
  if (rc != SQLITE_OK) return fail(rc, "");
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(stmt, sqlite3_finalize);
  if (stmt == nullptr) return Status::InvalidArgument("no SQL statement given");
  // A second statement after the first is refused (one statement per call).
  if (!OnlyBlankOrComments(tail)) {
    sqlite3_stmt* next = nullptr;
    const char* next_tail = nullptr;
    rc = sqlite3_prepare_v3(db, tail, -1, 0, &next, &next_tail);
    if (next != nullptr || rc != SQLITE_OK) {
      sqlite3_finalize(next);
      // A position in the rewritten text is no position in the statement as written.
      if (translated->changed) {
        return Status::InvalidArgument(
            "only one statement per query: a second one follows the first");
      }
      Locate(run, static_cast<int>(tail - run.c_str()), where);
      while (where->offset < static_cast<int>(run.size()) &&
             std::isspace(static_cast<unsigned char>(run[static_cast<size_t>(where->offset)]))) {
        Locate(run, where->offset + 1, where);
      }
      return Status::InvalidArgument(
          fmt::format("only one statement per query: a second one starts at line {}, column {}",
                      where->line, where->column));
    }
  }
  if (!sqlite3_stmt_readonly(stmt)) {
    const std::string verb = StatementVerb(sql);
    return Status::PermissionDenied(fmt::format(
        "{} is not allowed: SQL over the lake is read-only (SELECT, WITH, read-only PRAGMAs)",
        verb.empty() ? "this statement, which would change the database," : verb));
  }

  const int ncols = sqlite3_column_count(stmt);
  // The columnar path reads stored values; a masked query that names a personal column is
  // answered by SQLite, through the masking virtual table.
  if (options.columnar_aggregates &&
      !(options.mask_personal_data && MayMentionPersonalColumn(sql))) {
    auto stop = [&]() -> Status {
      if (Impl::Progress(&impl) == 0) return Status::OK();
      return fail(SQLITE_INTERRUPT, "");
    };
    std::optional<Result<QueryResult>> fast =
        TryColumnarAggregate(*impl.tables, run, options, stop);
    if (fast) {
      if (!fast->ok()) return fast->status();
      QueryResult r = std::move(**fast);
      // SQLite's names and declared types, so both paths describe columns alike.
      if (static_cast<int>(r.columns.size()) == ncols) {
        for (int i = 0; i < ncols; ++i) {
          const char* name = sqlite3_column_name(stmt, i);
          const char* decl = sqlite3_column_decltype(stmt, i);
          r.columns[static_cast<size_t>(i)] = {name ? name : "", decl ? decl : ""};
        }
      }
      ApplyDialectTypes(*translated, &r);
      r.elapsed_seconds = static_cast<double>(MonotonicMicros() - start) / 1e6;
      r.columnar = true;
      return r;
    }
  }
  QueryResult result;
  for (int i = 0; i < ncols; ++i) {
    QueryColumn col;
    col.name = sqlite3_column_name(stmt, i) ? sqlite3_column_name(stmt, i) : "";
    const char* decl = sqlite3_column_decltype(stmt, i);
    col.declared_type = decl ? decl : "";
    result.columns.push_back(std::move(col));
  }
  int64_t bytes = 0;
  while (true) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return fail(rc, "");
    if ((options.max_rows > 0 && static_cast<int64_t>(result.rows.size()) >= options.max_rows) ||
        (options.max_result_bytes > 0 && bytes >= options.max_result_bytes)) {
      result.truncated = true;
      break;
    }
    std::vector<Value> row;
    row.reserve(static_cast<size_t>(ncols));
    for (int i = 0; i < ncols; ++i) {
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER:
          row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
          bytes += 8;
          break;
        case SQLITE_FLOAT:
          row.emplace_back(sqlite3_column_double(stmt, i));
          bytes += 8;
          break;
        case SQLITE_TEXT: {
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
          const int n = sqlite3_column_bytes(stmt, i);
          row.emplace_back(std::string(p, static_cast<size_t>(n)));
          bytes += n;
          break;
        }
        case SQLITE_BLOB: {
          const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
          const int n = sqlite3_column_bytes(stmt, i);
          row.emplace_back(Blob{std::string(p ? p : "", static_cast<size_t>(n))});
          bytes += n;
          break;
        }
        default:
          row.emplace_back(std::monostate{});
          bytes += 8;
      }
    }
    result.rows.push_back(std::move(row));
  }
  ApplyDialectTypes(*translated, &result);
  result.scan = impl.tables->counters();
  result.elapsed_seconds = static_cast<double>(MonotonicMicros() - start) / 1e6;
  return result;
}

}  // namespace saleslake::sql
