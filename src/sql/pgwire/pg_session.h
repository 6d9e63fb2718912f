// One PostgreSQL connection after its sign-in: the simple query flow (Query, statements split at
// ';') and the extended one (Parse/Bind/Describe/Execute/Close/Sync/Flush with named and unnamed
// statements and portals, row limits answered with PortalSuspended, errors skipping to Sync),
// over the read-only QueryEngine with the catalog of pg_catalog.h. Statements are read in the
// kTrinoPostgres dialect (sql/dialect/dialect.h: the Athena dialect of `saleslake query` plus
// `::` casts, EXTRACT, INTERVAL '7 days'), after RewritePostgres for the catalog's own forms.
// BEGIN/COMMIT/ROLLBACK/DISCARD change nothing but the transaction status; SET/RESET keep
// settings (pg_settings.h: statement_timeout acts); SHOW reads them; writes are refused with
// SQLSTATE 25006.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"
#include "sql/pgwire/pg_catalog.h"
#include "sql/pgwire/pg_messages.h"
#include "sql/pgwire/pg_settings.h"
#include "sql/pgwire/pg_sql_text.h"
#include "sql/pgwire/pg_types.h"
#include "sql/query_engine.h"

namespace saleslake::sql::pgwire {

// The lake's tables as of now; `generation` changes when they do (a new commit or crawl).
struct LakeTables {
  uint64_t generation = 0;
  std::shared_ptr<io::FileSystem> fs;
  std::vector<table::LakeTable> tables;
};
using TableSource = std::function<Result<LakeTables>()>;

struct SessionOptions {
  // The longest a statement runs; a session's SET statement_timeout may only shorten it.
  double statement_timeout_seconds = 300;
  // A result larger than these is an error (54000), never silently cut short.
  int64_t max_rows = 5'000'000;
  int64_t max_result_bytes = int64_t{512} << 20;
};

class Session {
 public:
  Session(TableSource source, CatalogSession who, SessionOptions options);
  ~Session();

  // Applies the settings of the startup packet (pg_settings.h); false with the SQLSTATE and
  // message when one is bad.
  bool Configure(const std::vector<std::pair<std::string, std::string>>& startup_parameters,
                 std::string* sqlstate, std::string* error);

  // Handles one message (its type and body); replies are appended to `out`. False after
  // Terminate ('X').
  bool Handle(char type, std::string_view body, MessageWriter& out);

  // Stops the statement running now, if any (CancelRequest). Thread-safe.
  void Cancel();

  char transaction_status() const { return status_; }
  // For the connection's log line: statements run, and portals asked for binary results.
  int64_t statements_run() const { return statements_run_; }
  int64_t binary_results() const { return binary_results_; }

 private:
  struct Statement {
    std::string sql;  // as the client sent it, $n included
    std::vector<uint32_t> parameter_types;
    StatementKind kind;
    std::optional<std::vector<PgType>> types;  // fixed by the first Describe or run
  };
  struct Portal {
    std::shared_ptr<Statement> statement;
    std::string sql;  // parameters substituted
    std::vector<int16_t> formats;
    bool ran = false;
    QueryResult result;
    std::vector<PgType> types;
    std::string tag;  // for statements that return no rows
    size_t next_row = 0;
  };
  // Why a statement failed, as the wire says it.
  struct Failure {
    std::string sqlstate, message;
    int position = 0;
  };

  void SimpleQuery(std::string_view text, MessageWriter& out);
  // Runs `sql` into `portal` (result, types, tag); false with `failure` set on error.
  bool Run(Portal& portal, int64_t max_rows, Failure* failure);
  void SendRowDescription(const Portal& portal, MessageWriter& out);
  // Sends up to `limit` rows (0: all); true when rows remain (PortalSuspended).
  bool SendRows(Portal& portal, size_t limit, MessageWriter& out, Failure* failure);
  void Fail(const Failure& f, MessageWriter& out);
  Result<std::shared_ptr<QueryEngine>> Engine();

  void Parse(std::string_view body, MessageWriter& out);
  void Bind(std::string_view body, MessageWriter& out);
  void Describe(std::string_view body, MessageWriter& out);
  void Execute(std::string_view body, MessageWriter& out);
  void Close(std::string_view body, MessageWriter& out);

  TableSource source_;
  SessionSettings settings_;
  CatalogSession who_;
  SessionOptions options_;
  std::map<std::string, std::shared_ptr<Statement>> statements_;
  std::map<std::string, Portal> portals_;
  bool skipping_ = false;  // after an error in the extended flow, until Sync
  char status_ = 'I';      // I idle, T in a transaction block, E failed transaction block
  int64_t statements_run_ = 0;
  int64_t binary_results_ = 0;

  std::mutex engine_mu_;  // engine_ (Cancel reads it from another thread)
  std::shared_ptr<QueryEngine> engine_;
  uint64_t engine_generation_ = 0;
};

}  // namespace saleslake::sql::pgwire
