#include "lake/pg_connection.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "base/logging.h"

namespace saleslake::lake {
namespace {

constexpr std::string_view kSchemes[] = {"postgresql://", "postgres://"};

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(
          static_cast<char>(std::strtol(std::string(s.substr(i + 1, 2)).c_str(), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The parts of a commit-log URI that we read or hide.
struct ParsedUri {
  std::string connect;    // what libpq gets: the URI without our own parameters
  std::string described;  // without the password
  std::string password;   // decoded, "" when none in the URI
  std::string schema = "saleslake";
};

ParsedUri Parse(std::string_view uri) {
  ParsedUri p;
  std::string_view scheme;
  for (std::string_view s : kSchemes) {
    if (uri.substr(0, s.size()) == s) scheme = s;
  }
  std::string_view rest = uri.substr(scheme.size());
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string authority_and_path(rest);
  std::string redacted_rest(rest);
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    if (size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
      p.password = PercentDecode(userinfo.substr(colon + 1));
      redacted_rest = std::string(userinfo.substr(0, colon)) + std::string(rest.substr(at));
    }
  }
  std::string kept_query, described_query;
  bool has_timeout = false;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    std::string_view key = param.substr(0, param.find('='));
    std::string_view value =
        param.find('=') == std::string_view::npos ? "" : param.substr(param.find('=') + 1);
    if (key == "schema") {
      p.schema = PercentDecode(value);
      continue;
    }
    if (key == "connect_timeout") has_timeout = true;
    kept_query += (kept_query.empty() ? "" : "&") + std::string(param);
    if (key == "password") {
      p.password = PercentDecode(value);
      continue;
    }
    described_query += (described_query.empty() ? "" : "&") + std::string(param);
  }
  if (!has_timeout) kept_query += std::string(kept_query.empty() ? "" : "&") + "connect_timeout=10";
  p.connect = std::string(scheme) + authority_and_path + "?" + kept_query;
  p.described =
      std::string(scheme) + redacted_rest + (described_query.empty() ? "" : "?" + described_query);
  if (p.schema != "saleslake") {
    p.described += std::string(described_query.empty() ? "?" : "&") + "schema=" + p.schema;
  }
  return p;
}

bool ValidSchemaName(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  if (from.empty()) return s;
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

}  // namespace

bool IsPostgresUri(std::string_view uri) {
  for (std::string_view s : kSchemes) {
    if (uri.substr(0, s.size()) == s) return true;
  }
  return false;
}

std::string RedactCommitLogUri(std::string_view uri) { return Parse(uri).described; }

const std::string& PgRows::Text(size_t row, size_t col) const {
  static const std::string kEmpty;
  if (row >= rows.size() || col >= rows[row].size() || !rows[row][col]) return kEmpty;
  return *rows[row][col];
}

int64_t PgRows::Int(size_t row, size_t col) const {
  const std::string& t = Text(row, col);
  return t.empty() ? 0 : std::strtoll(t.c_str(), nullptr, 10);
}

bool PgRows::IsNull(size_t row, size_t col) const {
  return row >= rows.size() || col >= rows[row].size() || !rows[row][col];
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(std::string_view uri) {
  ParsedUri p = Parse(uri);
  std::unique_ptr<PgConnection> c(new PgConnection());
  c->described_ = p.described;
  c->password_ = p.password;
  if (p.password.empty()) {
    if (const char* env = std::getenv("PGPASSWORD"); env != nullptr) c->password_ = env;
  }
  if (!ValidSchemaName(p.schema)) {
    return Status::InvalidArgument(fmt::format(
        "commit log {}: schema '{}' is not a plain lower-case name (letters, digits, _)",
        c->described_, p.schema));
  }
  c->schema_name_ = p.schema;
  c->schema_ = "\"" + p.schema + "\"";
  c->conn_ = PQconnectdb(p.connect.c_str());
  if (c->conn_ == nullptr || PQstatus(c->conn_) != CONNECTION_OK) {
    std::string why = c->conn_ ? PQerrorMessage(c->conn_) : "out of memory";
    // libpq's message spans lines ("…failed: Connection refused\n\tIs the server running…"):
    // one line for the user.
    for (char& ch : why) {
      if (ch == '\n' || ch == '\t') ch = ' ';
    }
    while (!why.empty() && why.back() == ' ') why.pop_back();
    for (size_t at = why.find("  "); at != std::string::npos; at = why.find("  ")) {
      why.erase(at, 1);
    }
    return Status::Unavailable(c->Scrub(fmt::format(
        "cannot connect to the commit log {}: {}; check that PostgreSQL runs there and the user, "
        "database and password (URI, PGPASSWORD or ~/.pgpass) are right",
        c->described_, why)));
  }
  // Notices (e.g. "schema already exists, skipping") are not for the user's terminal.
  PQsetNoticeProcessor(
      c->conn_, [](void*, const char*) {}, nullptr);
  return c;
}

PgConnection::~PgConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

std::string PgConnection::Scrub(std::string message) const {
  if (password_.size() >= 1) message = ReplaceAll(std::move(message), password_, "***");
  return message;
}

Status PgConnection::ResultError(const PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  last_sqlstate_ = state ? state : "";
  std::string msg = Scrub(fmt::format("commit log {}: {} (SQLSTATE {})", described_,
                                      primary ? primary : PQerrorMessage(conn_),
                                      last_sqlstate_.empty() ? "none" : last_sqlstate_));
  if (last_sqlstate_ == "40001" || last_sqlstate_ == "40P01") return Status::Aborted(msg);
  if (PQstatus(conn_) != CONNECTION_OK) return Status::Unavailable(msg);
  return Status::IOError(msg);
}

Result<PgRows> PgConnection::Exec(std::string_view sql, const std::vector<std::string>& params) {
  std::string text = ReplaceAll(std::string(sql), "{s}", schema_);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params) values.push_back(p.c_str());
  PGresult* res = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
  std::unique_ptr<PGresult, void (*)(PGresult*)> guard(res, PQclear);
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ResultError(res);
  last_sqlstate_.clear();
  PgRows out;
  const int n = PQntuples(res), m = PQnfields(res);
  out.rows.resize(static_cast<size_t>(n));
  for (int r = 0; r < n; ++r) {
    out.rows[r].reserve(static_cast<size_t>(m));
    for (int f = 0; f < m; ++f) {
      if (PQgetisnull(res, r, f)) {
        out.rows[r].emplace_back(std::nullopt);
      } else {
        out.rows[r].emplace_back(
            std::string(PQgetvalue(res, r, f), static_cast<size_t>(PQgetlength(res, r, f))));
      }
    }
  }
  const char* affected = PQcmdTuples(res);
  out.affected = affected && *affected ? std::strtoull(affected, nullptr, 10) : 0;
  return out;
}

Status PgConnection::ExecScript(std::string_view sql) {
  std::string text = ReplaceAll(std::string(sql), "{s}", schema_);
  PGresult* res = PQexec(conn_, text.c_str());
  std::unique_ptr<PGresult, void (*)(PGresult*)> guard(res, PQclear);
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ResultError(res);
  return Status::OK();
}

bool IsRetryablePgError(const Status& status) {
  return status.code() == StatusCode::kAborted &&
         (status.message().find("(SQLSTATE 40001)") != std::string::npos ||
          status.message().find("(SQLSTATE 40P01)") != std::string::npos);
}

Status PgConnection::Transact(const std::function<Status()>& body, bool serializable) {
  std::minstd_rand jitter(
      static_cast<uint32_t>(reinterpret_cast<uintptr_t>(this)) ^
      static_cast<uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  for (int attempt = 1;; ++attempt) {
    Status st = ExecScript(serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN");
    if (st.ok()) st = body();
    if (st.ok()) st = ExecScript("COMMIT");
    if (st.ok()) return st;
    (void)ExecScript("ROLLBACK");
    if (!IsRetryablePgError(st) || attempt >= kMaxAttempts) return st;
    ++retries_;
    // 5 ms, 10 ms, ... capped at 640 ms, each with up to as much again of jitter.
    const int64_t base_ms = int64_t{5} << std::min(attempt - 1, 7);
    const int64_t wait_ms = base_ms + static_cast<int64_t>(jitter() % (base_ms + 1));
    log::Warn("commit_log.retry", {{"commit_log", described_},
                                   {"attempt", static_cast<int64_t>(attempt)},
                                   {"wait_ms", wait_ms},
                                   {"error", st.message()}});
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  }
}

}  // namespace saleslake::lake
