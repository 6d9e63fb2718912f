// PgConnection: one libpq connection to the PostgreSQL commit log, and the URI it came from,
// spoken of only in its redacted form.
//
// A commit-log URI is a libpq URI (postgresql://user[:password]@host[:port]/db[?params]) with one
// parameter of ours, `schema=NAME` (default "saleslake"): the schema that holds the log's tables,
// so one database can hold the logs of several lakes. Passwords come from the URI, PGPASSWORD or
// ~/.pgpass (libpq reads the last two itself); none of them is ever put in a message: every
// error and description goes through RedactCommitLogUri, and a message that would still contain
// the password has it replaced.
//
// Transactions: Transact() runs a function inside BEGIN/COMMIT and retries the whole transaction
// with exponential backoff when PostgreSQL reports a serialization failure (SQLSTATE 40001) or a
// deadlock (40P01); any other error rolls back and is returned.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

struct pg_conn;
struct pg_result;

namespace saleslake::lake {

// Whether `uri` names a PostgreSQL commit log (postgresql:// or postgres://).
bool IsPostgresUri(std::string_view uri);
// The URI without its password (user:secret@ -> user@, password=... dropped).
std::string RedactCommitLogUri(std::string_view uri);

// One result of a query: rows of text cells (NULL as nullopt).
struct PgRows {
  std::vector<std::vector<std::optional<std::string>>> rows;
  uint64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE

  bool empty() const { return rows.empty(); }
  // The cell as text ("" for NULL or out of range).
  const std::string& Text(size_t row, size_t col) const;
  int64_t Int(size_t row, size_t col) const;
  bool IsNull(size_t row, size_t col) const;
};

class PgConnection {
 public:
  // Connects. Errors name the redacted URI and say what to check.
  static Result<std::unique_ptr<PgConnection>> Connect(std::string_view uri);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // The URI without its password, e.g. "postgresql://saleslake@127.0.0.1:5432/lake".
  const std::string& described() const { return described_; }
  // The schema of the log's tables, quoted for SQL ("saleslake").
  const std::string& schema() const { return schema_; }
  // The schema's name as given.
  const std::string& schema_name() const { return schema_name_; }

  // Runs one statement with text parameters ($1, $2, ...). `sql` may name the schema as
  // "{s}", replaced by schema(). A failure is an error whose message carries the SQLSTATE in
  // brackets and never the password.
  Result<PgRows> Exec(std::string_view sql, const std::vector<std::string>& params = {});
  // Several statements without parameters (DDL).
  Status ExecScript(std::string_view sql);

  // Runs `body` in one transaction (READ COMMITTED unless `serializable`), retrying the whole
  // transaction on 40001/40P01 with backoff (at most kMaxAttempts times). `body` may run more
  // than once; it must not have effects outside the transaction that a retry would repeat.
  Status Transact(const std::function<Status()>& body, bool serializable = false);

  static constexpr int kMaxAttempts = 8;
  // How many transactions were retried on this connection (for status and tests).
  uint64_t retries() const { return retries_; }

  // The SQLSTATE of the last failed Exec ("" when it succeeded).
  const std::string& last_sqlstate() const { return last_sqlstate_; }

 private:
  PgConnection() = default;
  std::string Scrub(std::string message) const;
  // The error of a failed result (records its SQLSTATE): Aborted for serialization failures and
  // deadlocks (retryable), Unavailable when the connection is gone, else IOError.
  Status ResultError(const pg_result* res);

  pg_conn* conn_ = nullptr;
  std::string described_;
  std::string schema_;
  std::string schema_name_;
  std::string password_;  // only to scrub it from messages
  std::string last_sqlstate_;
  uint64_t retries_ = 0;
};

// Whether a status came from a retryable PostgreSQL error (40001, 40P01).
bool IsRetryablePgError(const Status& status);

}  // namespace saleslake::lake
