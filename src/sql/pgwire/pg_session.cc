#include "sql/pgwire/pg_session.h"

#include <fmt/format.h>

namespace saleslake::sql::pgwire {
namespace {

bool Contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

// The SQLSTATE of an engine error.
std::string SqlState(const Status& s) {
  const std::string& m = s.message();
  switch (s.code()) {
    case StatusCode::kPermissionDenied:
      return "25006";  // read_only_sql_transaction
    case StatusCode::kTimeout:
      return "57014";  // query_canceled
    case StatusCode::kInvalidArgument:
      if (Contains(m, "no such table") || Contains(m, "does not exist")) return "42P01";
      if (Contains(m, "no such column")) return "42703";
      if (Contains(m, "no such function") || Contains(m, "wrong number of arguments")) {
        return "42883";
      }
      if (Contains(m, "invalid input syntax") || Contains(m, "cannot be cast")) return "22P02";
      if (Contains(m, "Division by zero") || Contains(m, "division by zero")) return "22012";
      if (Contains(m, "out of range")) return "22003";
      if (Contains(m, "is not supported")) return "0A000";  // feature_not_supported
      return "42601";                                       // syntax_error
    default:
      return "XX000";
  }
}

QueryResult OneTextCell(const std::string& column, const std::string& value) {
  QueryResult r;
  r.columns.push_back({column, "TEXT"});
  r.rows.push_back({Value(value)});
  return r;
}

}  // namespace

Session::Session(TableSource source, CatalogSession who, SessionOptions options)
    : source_(std::move(source)), who_(std::move(who)), options_(options) {
  who_.settings = settings_.values();
}

Session::~Session() = default;

bool Session::Configure(const std::vector<std::pair<std::string, std::string>>& startup_parameters,
                        std::string* sqlstate, std::string* error) {
  for (const SettingChange& change : StartupSettingChanges(startup_parameters)) {
    if (!settings_.Apply(change, false, sqlstate, error)) return false;
  }
  return true;
}

void Session::Cancel() {
  std::lock_guard<std::mutex> lock(engine_mu_);
  if (engine_) engine_->Interrupt();
}

Result<std::shared_ptr<QueryEngine>> Session::Engine() {
  SL_ASSIGN_OR_RETURN(LakeTables tables, source_());
  {
    std::lock_guard<std::mutex> lock(engine_mu_);
    if (engine_ && engine_generation_ == tables.generation) return engine_;
  }
  SL_ASSIGN_OR_RETURN(
      std::unique_ptr<QueryEngine> fresh,
      QueryEngine::Open(tables.fs, tables.tables, CatalogSetup(tables.tables, who_)));
  std::lock_guard<std::mutex> lock(engine_mu_);
  engine_ = std::move(fresh);
  engine_generation_ = tables.generation;
  return engine_;
}

bool Session::Run(Portal& portal, int64_t max_rows, Failure* failure) {
  portal.ran = true;
  ++statements_run_;
  const StatementKind& kind = portal.statement->kind;
  switch (kind.kind) {
    case StatementKind::kEmpty:
      portal.tag = "";
      return true;
    case StatementKind::kNoOp:
      portal.tag = kind.tag;
      if (kind.tag == "SET" || kind.tag == "RESET") {
        if (std::optional<SettingChange> change = ParseSettingChange(portal.sql)) {
          if (!settings_.Apply(*change, status_ != 'I', &failure->sqlstate, &failure->message)) {
            return false;
          }
        }
      }
      if (kind.tag == "DISCARD ALL") settings_.Clear();
      if (kind.tag == "BEGIN" || kind.tag == "START TRANSACTION") status_ = 'T';
      if (kind.tag == "COMMIT" || kind.tag == "ROLLBACK") {
        status_ = 'I';
        settings_.EndTransaction();
      }
      return true;
    case StatementKind::kWrite:
      *failure = {"25006", fmt::format("cannot execute {} in a read-only transaction: SQL over "
                                       "the lake is read-only",
                                       kind.tag)};
      return false;
    case StatementKind::kShow: {
      std::string name = kind.show;
      if (name == "all") {
        *failure = {"0A000", "SHOW ALL is not supported: SHOW one setting"};
        return false;
      }
      const std::string value = SettingValue(name, who_);
      if (value.empty() && name != "application_name") {
        *failure = {"42704", "unrecognized configuration parameter \"" + name + "\""};
        return false;
      }
      if (name == "transaction isolation level") name = "transaction_isolation";
      portal.result = OneTextCell(name, value);
      break;
    }
    case StatementKind::kQuery: {
      Result<std::shared_ptr<QueryEngine>> engine = Engine();
      if (!engine.ok()) {
        *failure = {"58030", engine.status().message()};
        return false;
      }
      // The catalog's forms first (OPERATOR(pg_catalog.~), arrays, ...), then the dialect's.
      const std::string rewritten = RewritePostgres(portal.sql);
      QueryOptions q;
      q.dialect = Dialect::kTrinoPostgres;
      q.max_rows = max_rows;
      q.max_result_bytes = options_.max_result_bytes;
      q.timeout_seconds = options_.statement_timeout_seconds;
      const double asked = settings_.statement_timeout_seconds();
      if (asked > 0 && (q.timeout_seconds <= 0 || asked < q.timeout_seconds)) {
        q.timeout_seconds = asked;
      }
      QueryError where;
      Result<QueryResult> r = (*engine)->Execute(rewritten, q, &where);
      if (!r.ok()) {
        *failure = {SqlState(r.status()), r.status().message()};
        if (r.status().code() == StatusCode::kTimeout) {
          failure->message = Contains(failure->message, "interrupted")
                                 ? "canceling statement due to user request"
                                 : fmt::format(
                                       "canceling statement due to statement timeout "
                                       "of {}s (SET statement_timeout; the server "
                                       "allows at most {}s)",
                                       q.timeout_seconds, options_.statement_timeout_seconds);
        }
        if (rewritten == portal.sql && where.offset >= 0) failure->position = where.offset + 1;
        return false;
      }
      if (r->truncated && max_rows == options_.max_rows) {
        *failure = {"54000", fmt::format("the result has more than {} rows or {} MiB: narrow the "
                                         "query (WHERE, LIMIT, GROUP BY)",
                                         options_.max_rows, options_.max_result_bytes >> 20)};
        return false;
      }
      portal.result = std::move(*r);
      break;
    }
  }
  portal.types = portal.statement->types ? *portal.statement->types : ColumnTypes(portal.result);
  if (portal.types.size() != portal.result.columns.size())
    portal.types = ColumnTypes(portal.result);
  if (!portal.statement->types) portal.statement->types = portal.types;
  portal.tag = "SELECT";
  return true;
}

void Session::SendRowDescription(const Portal& portal, MessageWriter& out) {
  out.Begin('T');
  out.Int16(static_cast<int16_t>(portal.result.columns.size()));
  for (size_t i = 0; i < portal.result.columns.size(); ++i) {
    const PgType& t = portal.types[i];
    out.CString(portal.result.columns[i].name);
    out.Int32(0);  // table oid
    out.Int16(0);  // column number
    out.Int32(static_cast<int32_t>(t.oid));
    out.Int16(t.size);
    out.Int32(t.modifier);
    const int16_t format = portal.formats.empty()       ? 0
                           : portal.formats.size() == 1 ? portal.formats[0]
                           : i < portal.formats.size()  ? portal.formats[i]
                                                        : 0;
    out.Int16(format);
  }
  out.End();
}

bool Session::SendRows(Portal& portal, size_t limit, MessageWriter& out, Failure* failure) {
  const size_t total = portal.result.rows.size();
  const size_t end = limit == 0 ? total : std::min(total, portal.next_row + limit);
  const size_t ncols = portal.result.columns.size();
  std::string error;
  for (size_t r = portal.next_row; r < end; ++r) {
    out.Begin('D');
    out.Int16(static_cast<int16_t>(ncols));
    for (size_t c = 0; c < ncols; ++c) {
      const bool binary = portal.formats.size() == 1  ? portal.formats[0] == 1
                          : c < portal.formats.size() ? portal.formats[c] == 1
                                                      : false;
      const Value& v = portal.result.rows[r][c];
      std::optional<std::string> cell = binary ? EncodeBinary(v, portal.types[c], &error)
                                               : EncodeText(v, portal.types[c], &error);
      if (!error.empty()) {
        *failure = {"22P02", "column \"" + portal.result.columns[c].name + "\": " + error};
        return false;
      }
      if (!cell) {
        out.Int32(-1);
      } else {
        out.Int32(static_cast<int32_t>(cell->size()));
        out.Bytes(*cell);
      }
    }
    out.End();
  }
  const size_t sent = end - portal.next_row;
  portal.next_row = end;
  if (end < total) return true;
  WriteCommandComplete(out, "SELECT " + std::to_string(sent));
  return false;
}

void Session::Fail(const Failure& f, MessageWriter& out) {
  WriteError(out, "ERROR", f.sqlstate, f.message, f.position);
  if (status_ == 'T') status_ = 'E';
  skipping_ = true;  // the extended flow skips to Sync; the simple one resets it
}

void Session::SimpleQuery(std::string_view text, MessageWriter& out) {
  portals_.erase("");
  statements_.erase("");
  const std::vector<std::string> parts = SplitStatements(text);
  if (parts.empty()) {
    out.Begin('I');
    out.End();
  }
  for (const std::string& sql : parts) {
    auto statement = std::make_shared<Statement>();
    statement->sql = sql;
    statement->kind = Classify(sql);
    if (status_ == 'E' && statement->kind.tag != "ROLLBACK" && statement->kind.tag != "COMMIT") {
      Fail({"25P02",
            "current transaction is aborted, commands ignored until end of transaction "
            "block"},
           out);
      break;
    }
    Portal portal;
    portal.statement = statement;
    portal.sql = sql;
    Failure failure;
    if (CountParameters(sql) > 0) {
      Fail({"42P02", "there is no parameter $1 (a simple query has no parameters)"}, out);
      break;
    }
    if (!Run(portal, options_.max_rows, &failure)) {
      Fail(failure, out);
      break;
    }
    if (statement->kind.kind == StatementKind::kNoOp) {
      WriteCommandComplete(out, portal.tag);
      continue;
    }
    SendRowDescription(portal, out);
    if (SendRows(portal, 0, out, &failure)) continue;
    if (!failure.sqlstate.empty()) {
      Fail(failure, out);
      break;
    }
  }
  WriteReadyForQuery(out, status_);
}

void Session::Parse(std::string_view body, MessageWriter& out) {
  Result<ParseMessage> m = ParseParse(body);
  if (!m.ok()) return Fail({"08P01", m.status().message()}, out);
  if (!m->statement.empty() && statements_.count(m->statement) != 0) {
    return Fail({"42P05", "prepared statement \"" + m->statement + "\" already exists"}, out);
  }
  auto statement = std::make_shared<Statement>();
  statement->sql = m->query;
  statement->parameter_types = m->parameter_types;
  statement->kind = Classify(m->query);
  statements_[m->statement] = statement;
  out.Begin('1');
  out.End();
}

void Session::Bind(std::string_view body, MessageWriter& out) {
  Result<BindMessage> m = ParseBind(body);
  if (!m.ok()) return Fail({"08P01", m.status().message()}, out);
  auto it = statements_.find(m->statement);
  if (it == statements_.end()) {
    return Fail({"26000", "prepared statement \"" + m->statement + "\" does not exist"}, out);
  }
  const Statement& st = *it->second;
  const size_t wanted = static_cast<size_t>(
      std::max<int>(CountParameters(st.sql), static_cast<int>(st.parameter_types.size())));
  if (m->values.size() != wanted) {
    return Fail({"08P01", fmt::format("bind message supplies {} parameters, but prepared statement "
                                      "\"{}\" requires {}",
                                      m->values.size(), m->statement, wanted)},
                out);
  }
  std::vector<std::string> literals;
  for (size_t i = 0; i < m->values.size(); ++i) {
    const bool binary = m->parameter_formats.size() == 1  ? m->parameter_formats[0] == 1
                        : i < m->parameter_formats.size() ? m->parameter_formats[i] == 1
                                                          : false;
    const uint32_t oid = i < st.parameter_types.size() ? st.parameter_types[i] : 0;
    std::string error;
    std::optional<std::string> literal = ParameterLiteral(m->values[i], oid, binary, &error);
    if (!literal) return Fail({"22P02", fmt::format("parameter ${}: {}", i + 1, error)}, out);
    literals.push_back(std::move(*literal));
  }
  Portal portal;
  portal.statement = it->second;
  portal.formats = m->result_formats;
  std::string error;
  if (!SubstituteParameters(st.sql, literals, &portal.sql, &error)) {
    return Fail({"42P02", error}, out);
  }
  for (int16_t f : portal.formats) {
    if (f == 1) {
      ++binary_results_;
      break;
    }
  }
  portals_[m->portal] = std::move(portal);
  out.Begin('2');
  out.End();
}

void Session::Describe(std::string_view body, MessageWriter& out) {
  Result<DescribeMessage> m = ParseDescribe(body);
  if (!m.ok()) return Fail({"08P01", m.status().message()}, out);
  Failure failure;
  if (m->kind == 'S') {
    auto it = statements_.find(m->name);
    if (it == statements_.end()) {
      return Fail({"26000", "prepared statement \"" + m->name + "\" does not exist"}, out);
    }
    Statement& st = *it->second;
    const size_t n = static_cast<size_t>(
        std::max<int>(CountParameters(st.sql), static_cast<int>(st.parameter_types.size())));
    out.Begin('t');
    out.Int16(static_cast<int16_t>(n));
    for (size_t i = 0; i < n; ++i) {
      const uint32_t oid = i < st.parameter_types.size() ? st.parameter_types[i] : 0;
      out.Int32(static_cast<int32_t>(oid == 0 ? kText : oid));
    }
    out.End();
    if (st.kind.kind != StatementKind::kQuery && st.kind.kind != StatementKind::kShow) {
      out.Begin('n');
      out.End();
      return;
    }
    // The columns' types: run the statement once with NULL parameters (one row is enough).
    Portal probe;
    probe.statement = it->second;
    std::string error;
    if (!SubstituteParameters(st.sql, std::vector<std::string>(n, "NULL"), &probe.sql, &error)) {
      return Fail({"42P02", error}, out);
    }
    if (!Run(probe, 1, &failure)) return Fail(failure, out);
    SendRowDescription(probe, out);
    return;
  }
  auto it = portals_.find(m->name);
  if (it == portals_.end()) {
    return Fail({"34000", "portal \"" + m->name + "\" does not exist"}, out);
  }
  Portal& portal = it->second;
  const StatementKind::Kind kind = portal.statement->kind.kind;
  if (kind != StatementKind::kQuery && kind != StatementKind::kShow) {
    out.Begin('n');
    out.End();
    return;
  }
  if (!portal.ran && !Run(portal, options_.max_rows, &failure)) return Fail(failure, out);
  SendRowDescription(portal, out);
}

void Session::Execute(std::string_view body, MessageWriter& out) {
  Result<ExecuteMessage> m = ParseExecute(body);
  if (!m.ok()) return Fail({"08P01", m.status().message()}, out);
  auto it = portals_.find(m->portal);
  if (it == portals_.end()) {
    return Fail({"34000", "portal \"" + m->portal + "\" does not exist"}, out);
  }
  Portal& portal = it->second;
  if (status_ == 'E' && portal.statement->kind.tag != "ROLLBACK" &&
      portal.statement->kind.tag != "COMMIT") {
    return Fail({"25P02",
                 "current transaction is aborted, commands ignored until end of "
                 "transaction block"},
                out);
  }
  Failure failure;
  if (!portal.ran && !Run(portal, options_.max_rows, &failure)) return Fail(failure, out);
  const StatementKind::Kind kind = portal.statement->kind.kind;
  if (kind == StatementKind::kEmpty) {
    out.Begin('I');
    out.End();
    return;
  }
  if (kind == StatementKind::kNoOp) {
    WriteCommandComplete(out, portal.tag);
    return;
  }
  if (SendRows(portal, static_cast<size_t>(m->max_rows), out, &failure)) {
    out.Begin('s');
    out.End();
    return;
  }
  if (!failure.sqlstate.empty()) Fail(failure, out);
}

void Session::Close(std::string_view body, MessageWriter& out) {
  Result<DescribeMessage> m = ParseDescribe(body);
  if (!m.ok()) return Fail({"08P01", m.status().message()}, out);
  if (m->kind == 'S') {
    statements_.erase(m->name);
  } else {
    portals_.erase(m->name);
  }
  out.Begin('3');
  out.End();
}

bool Session::Handle(char type, std::string_view body, MessageWriter& out) {
  if (type == 'X') return false;
  if (type == 'S') {
    skipping_ = false;
    if (status_ == 'I') portals_.clear();
    WriteReadyForQuery(out, status_);
    return true;
  }
  if (type == 'Q') {
    skipping_ = false;
    Result<std::string> q = ParseQuery(body);
    if (!q.ok()) {
      Fail({"08P01", q.status().message()}, out);
      WriteReadyForQuery(out, status_);
      return true;
    }
    SimpleQuery(*q, out);
    skipping_ = false;
    if (status_ == 'I') portals_.clear();
    return true;
  }
  if (skipping_ || type == 'H') return true;
  switch (type) {
    case 'P':
      Parse(body, out);
      break;
    case 'B':
      Bind(body, out);
      break;
    case 'D':
      Describe(body, out);
      break;
    case 'E':
      Execute(body, out);
      break;
    case 'C':
      Close(body, out);
      break;
    default:
      Fail({"08P01",
            fmt::format("unexpected message type '{}'", type >= 32 && type < 127 ? type : '?')},
           out);
  }
  return true;
}

}  // namespace saleslake::sql::pgwire
