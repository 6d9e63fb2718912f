#include "sql/pgwire/pg_sql_text.h"

#include <cctype>
#include <optional>

#include "base/strings.h"
#include "sql/dialect/dialect.h"

namespace saleslake::sql::pgwire {
namespace {

bool IsWordStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80) != 0;
}
bool IsWordChar(char c) {
  return IsWordStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$';
}
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

bool Is(const SqlToken& t, std::string_view word) {
  return t.kind == SqlToken::kWord && Lower(t.text) == word;
}
bool IsSym(const SqlToken& t, std::string_view s) {
  return t.kind == SqlToken::kSymbol && t.text == s;
}

// Words that end an operand to the left of `::` rather than name a function before '('.
bool IsKeyword(const SqlToken& t) {
  static const char* kKeywords[] = {
      "select",  "where",  "and",  "or",    "not", "in",     "on",       "from",  "when",
      "then",    "else",   "case", "as",    "by",  "having", "join",     "is",    "like",
      "between", "exists", "with", "union", "all", "any",    "distinct", "values"};
  if (t.kind != SqlToken::kWord) return false;
  const std::string w = Lower(t.text);
  for (const char* k : kKeywords) {
    if (w == k) return true;
  }
  return false;
}

}  // namespace

std::vector<SqlToken> Tokenize(std::string_view sql) {
  std::vector<SqlToken> out;
  size_t i = 0;
  const size_t n = sql.size();
  auto push = [&](SqlToken::Kind kind, size_t end) {
    out.push_back({kind, std::string(sql.substr(i, end - i))});
    i = end;
  };
  while (i < n) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < n && std::isspace(static_cast<unsigned char>(sql[j]))) ++j;
      push(SqlToken::kSpace, j);
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      push(SqlToken::kSpace, j == std::string_view::npos ? n : j);
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      size_t j = sql.find("*/", i + 2);
      push(SqlToken::kSpace, j == std::string_view::npos ? n : j + 2);
    } else if (c == '\'' || c == '"') {
      size_t j = i + 1;
      while (j < n) {
        if (sql[j] == c) {
          if (j + 1 < n && sql[j + 1] == c) {
            j += 2;
            continue;
          }
          ++j;
          break;
        }
        ++j;
      }
      push(c == '\'' ? SqlToken::kString : SqlToken::kQuotedIdent, std::min(j, n));
    } else if (c == '$' && i + 1 < n && IsDigit(sql[i + 1])) {
      size_t j = i + 1;
      while (j < n && IsDigit(sql[j])) ++j;
      push(SqlToken::kParam, j);
    } else if (IsDigit(c) || (c == '.' && i + 1 < n && IsDigit(sql[i + 1]))) {
      size_t j = i;
      while (j < n && (IsDigit(sql[j]) || sql[j] == '.')) ++j;
      if (j < n && (sql[j] == 'e' || sql[j] == 'E')) {
        size_t k = j + 1;
        if (k < n && (sql[k] == '+' || sql[k] == '-')) ++k;
        if (k < n && IsDigit(sql[k])) {
          j = k;
          while (j < n && IsDigit(sql[j])) ++j;
        }
      }
      push(SqlToken::kNumber, j);
    } else if (IsWordStart(c)) {
      size_t j = i;
      while (j < n && IsWordChar(sql[j])) ++j;
      push(SqlToken::kWord, j);
    } else {
      static const char* kTwo[] = {"::", "!~", "<>", "!=", ">=", "<=", "||", "~*", "<<", ">>"};
      size_t len = 1;
      for (const char* two : kTwo) {
        if (sql.substr(i, 2) == two) len = 2;
      }
      if (sql.substr(i, 3) == "!~*") len = 3;
      push(SqlToken::kSymbol, i + len);
    }
  }
  return out;
}

std::vector<std::string> SplitStatements(std::string_view sql) {
  std::vector<std::string> out;
  std::string current;
  bool blank = true;
  for (const SqlToken& t : Tokenize(sql)) {
    if (IsSym(t, ";")) {
      if (!blank) out.push_back(current);
      current.clear();
      blank = true;
      continue;
    }
    if (t.kind != SqlToken::kSpace) blank = false;
    current += t.text;
  }
  if (!blank) out.push_back(current);
  return out;
}

int CountParameters(std::string_view sql) {
  int most = 0;
  for (const SqlToken& t : Tokenize(sql)) {
    if (t.kind != SqlToken::kParam || t.text.size() > 6) continue;
    most = std::max(most, std::stoi(t.text.substr(1)));
  }
  return most;
}

bool SubstituteParameters(std::string_view sql, const std::vector<std::string>& literals,
                          std::string* out, std::string* error) {
  out->clear();
  for (const SqlToken& t : Tokenize(sql)) {
    if (t.kind != SqlToken::kParam) {
      *out += t.text;
      continue;
    }
    const size_t n = t.text.size() > 6 ? 0 : static_cast<size_t>(std::stoi(t.text.substr(1)));
    if (n == 0 || n > literals.size()) {
      *error =
          "there is no parameter " + t.text + " (" + std::to_string(literals.size()) + " given)";
      return false;
    }
    // Spaces around the literal: "-$1" with a negative value must not become "--5".
    *out += " " + literals[n - 1] + " ";
  }
  return true;
}

std::string QuoteLiteral(std::string_view value, bool may_be_number) {
  if (may_be_number && !value.empty() && value.size() < 40) {
    // A plain decimal number without leading zeros, so "007" stays a string.
    size_t i = value[0] == '-' ? 1 : 0;
    bool ok = i < value.size() && IsDigit(value[i]) &&
              !(value[i] == '0' && i + 1 < value.size() && IsDigit(value[i + 1]));
    bool dot = false;
    for (size_t j = i; ok && j < value.size(); ++j) {
      if (value[j] == '.' && !dot && j + 1 < value.size()) {
        dot = true;
      } else if (!IsDigit(value[j])) {
        ok = false;
      }
    }
    if (ok) return std::string(value);
  }
  std::string out = "'";
  for (char c : value) {
    if (c == '\0') continue;
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

namespace {

// Non-space tokens, rewritten in place; joined with spaces at the end.
using Tokens = std::vector<SqlToken>;

// The index where the operand ending at `end` (inclusive) starts, or nullopt.
std::optional<size_t> OperandStart(const Tokens& t, size_t end) {
  size_t j = end;
  if (IsSym(t[j], ")")) {
    int depth = 0;
    while (true) {
      if (IsSym(t[j], ")")) ++depth;
      if (IsSym(t[j], "(")) --depth;
      if (depth == 0) break;
      if (j == 0) return std::nullopt;
      --j;
    }
    if (j > 0 && (t[j - 1].kind == SqlToken::kWord || t[j - 1].kind == SqlToken::kQuotedIdent) &&
        !IsKeyword(t[j - 1])) {
      --j;
    } else {
      return j;
    }
  } else if (t[j].kind == SqlToken::kString || t[j].kind == SqlToken::kNumber ||
             t[j].kind == SqlToken::kParam) {
    return j;
  } else if (t[j].kind != SqlToken::kWord && t[j].kind != SqlToken::kQuotedIdent) {
    return std::nullopt;
  }
  while (j >= 2 && IsSym(t[j - 1], ".") &&
         (t[j - 2].kind == SqlToken::kWord || t[j - 2].kind == SqlToken::kQuotedIdent)) {
    j -= 2;
  }
  return j;
}

// What `X::type` becomes when the type is one of the catalog's (regclass, oid, name, arrays,
// ...): a function name to wrap X in, or a CAST target ("" = leave X as is). nullopt for the
// types of values (int, text, numeric, date, timestamp, interval, ...), which the dialect casts.
struct CastTo {
  std::string function, cast;
};
std::optional<CastTo> CatalogCast(std::string type, bool array) {
  if (array) return CastTo{};
  if (type.size() > 2 && type.front() == '"') type = type.substr(1, type.size() - 2);
  if (type == "regclass") return CastTo{"pg_regclass", ""};
  if (type == "regtype") return CastTo{"pg_regtype", ""};
  if (type == "oid" || type == "xid" || type == "cid" || type == "regnamespace" ||
      type == "regrole") {
    return CastTo{"", "BIGINT"};
  }
  if (type == "name" || type == "char" || type == "regproc" || type == "regprocedure" ||
      type == "regoper" || type == "json" || type == "jsonb" || type == "uuid" ||
      type == "pg_node_tree" || type == "aclitem") {
    return CastTo{"", "VARCHAR"};
  }
  return std::nullopt;
}

// The text of E'…' (C-style escapes: \n \t \r \b \f \\ \' and others as the character) as
// a standard '…' literal.
std::string UnescapeString(const std::string& quoted) {
  std::string out = "'";
  const size_t end =
      quoted.size() >= 2 && quoted.back() == '\'' ? quoted.size() - 1 : quoted.size();
  for (size_t i = 1; i < end; ++i) {
    char c = quoted[i];
    if (c == '\\' && i + 1 < end) {
      c = quoted[++i];
      c = c == 'n'   ? '\n'
          : c == 't' ? '\t'
          : c == 'r' ? '\r'
          : c == 'b' ? '\b'
          : c == 'f' ? '\f'
                     : c;
    } else if (c == '\'' && i + 1 < end && quoted[i + 1] == '\'') {
      ++i;
    }
    if (c == '\0') continue;
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

}  // namespace

std::string RewritePostgres(std::string_view sql) {
  Tokens t;
  bool changed = false;
  std::vector<SqlToken> all = Tokenize(sql);
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].kind == SqlToken::kSpace) continue;
    // E'\n' (psql's \l): an escape string becomes a plain one.
    if (all[i].kind == SqlToken::kWord && (all[i].text == "E" || all[i].text == "e") &&
        i + 1 < all.size() && all[i + 1].kind == SqlToken::kString) {
      t.push_back({SqlToken::kString, UnescapeString(all[i + 1].text)});
      ++i;
      changed = true;
      continue;
    }
    t.push_back(std::move(all[i]));
  }
  // The index of the bracket closing the one opened at `open`, or t.size().
  auto closing = [&](size_t open, std::string_view left, std::string_view right) {
    int depth = 0;
    for (size_t j = open; j < t.size(); ++j) {
      if (IsSym(t[j], left)) ++depth;
      if (IsSym(t[j], right) && --depth == 0) return j;
    }
    return t.size();
  };
  for (size_t i = 0; i < t.size(); ++i) {
    // Arrays: the catalog has none to offer, so array(...) and array[...] are NULL, and
    // x = ANY(...) is x IN (...) over a subquery, the search path, or nothing.
    if (Is(t[i], "array") && i + 1 < t.size() && (IsSym(t[i + 1], "(") || IsSym(t[i + 1], "["))) {
      const size_t end = closing(i + 1, t[i + 1].text, IsSym(t[i + 1], "(") ? ")" : "]");
      if (end < t.size()) {
        t.erase(t.begin() + static_cast<long>(i) + 1, t.begin() + static_cast<long>(end) + 1);
        t[i] = {SqlToken::kWord, "NULL"};
        changed = true;
        continue;
      }
    }
    if (IsSym(t[i], "=") && i + 2 < t.size() && (Is(t[i + 1], "any") || Is(t[i + 1], "some")) &&
        IsSym(t[i + 2], "(")) {
      const size_t end = closing(i + 2, "(", ")");
      if (end < t.size()) {
        Tokens inside;
        if (i + 3 < end && Is(t[i + 3], "select")) {
          inside.assign(t.begin() + static_cast<long>(i) + 3, t.begin() + static_cast<long>(end));
        } else if (i + 3 < end && Is(t[i + 3], "current_schemas")) {
          inside = {{SqlToken::kString, "'pg_catalog'"},
                    {SqlToken::kSymbol, ","},
                    {SqlToken::kString, "'public'"}};
        } else {
          inside = {{SqlToken::kWord, "SELECT NULL WHERE 0"}};
        }
        t.erase(t.begin() + static_cast<long>(i), t.begin() + static_cast<long>(end) + 1);
        inside.insert(inside.begin(), {{SqlToken::kWord, "IN"}, {SqlToken::kSymbol, "("}});
        inside.push_back({SqlToken::kSymbol, ")"});
        t.insert(t.begin() + static_cast<long>(i), inside.begin(), inside.end());
        changed = true;
        continue;
      }
    }
    // x[i]: no arrays, so NULL.
    if ((t[i].kind == SqlToken::kWord || t[i].kind == SqlToken::kQuotedIdent) && !IsKeyword(t[i]) &&
        i + 1 < t.size() && IsSym(t[i + 1], "[") && !(i + 2 < t.size() && IsSym(t[i + 2], "]"))) {
      const size_t end = closing(i + 1, "[", "]");
      if (end < t.size()) {
        size_t start = i;
        while (start >= 2 && IsSym(t[start - 1], ".")) start -= 2;
        t.erase(t.begin() + static_cast<long>(start) + 1, t.begin() + static_cast<long>(end) + 1);
        t[start] = {SqlToken::kWord, "NULL"};
        i = start;
        changed = true;
        continue;
      }
    }
    if (Is(t[i], "string_agg") && i + 1 < t.size() && IsSym(t[i + 1], "(")) {
      t[i] = {SqlToken::kWord, "group_concat"};
      changed = true;
    }
    // generate_series(a, b) as a table: a recursive CTE (SQLite's series extension may be absent).
    if (Is(t[i], "generate_series") && i + 1 < t.size() && IsSym(t[i + 1], "(") &&
        !(i >= 1 && IsSym(t[i - 1], "."))) {
      const size_t end = closing(i + 1, "(", ")");
      size_t comma = t.size();
      int depth = 0;
      for (size_t j = i + 2; j < end; ++j) {
        if (IsSym(t[j], "(")) ++depth;
        if (IsSym(t[j], ")")) --depth;
        if (depth == 0 && IsSym(t[j], ",")) {
          comma = j;
          break;
        }
      }
      if (end < t.size() && comma < end) {
        Tokens r = {{SqlToken::kSymbol, "("},
                    {SqlToken::kWord, "WITH RECURSIVE gs(value) AS (SELECT"}};
        r.insert(r.end(), t.begin() + static_cast<long>(i) + 2,
                 t.begin() + static_cast<long>(comma));
        r.push_back({SqlToken::kWord, "UNION ALL SELECT value + 1 FROM gs WHERE value <"});
        r.push_back({SqlToken::kSymbol, "("});
        r.insert(r.end(), t.begin() + static_cast<long>(comma) + 1,
                 t.begin() + static_cast<long>(end));
        r.push_back({SqlToken::kSymbol, ")"});
        r.push_back({SqlToken::kWord, "AND value < 1000000 ) SELECT value FROM gs"});
        r.push_back({SqlToken::kSymbol, ")"});
        t.erase(t.begin() + static_cast<long>(i), t.begin() + static_cast<long>(end) + 1);
        t.insert(t.begin() + static_cast<long>(i), r.begin(), r.end());
        changed = true;
        continue;
      }
    }
    // OPERATOR(pg_catalog.~) and friends.
    if (Is(t[i], "operator") && i + 5 < t.size() && IsSym(t[i + 1], "(") &&
        Is(t[i + 2], "pg_catalog") && IsSym(t[i + 3], ".") && IsSym(t[i + 5], ")")) {
      const std::string op = t[i + 4].text;
      t.erase(t.begin() + static_cast<long>(i) + 1, t.begin() + static_cast<long>(i) + 6);
      t[i] = {SqlToken::kSymbol, op};
      changed = true;
    }
    if (IsSym(t[i], "~")) {
      t[i] = {SqlToken::kWord, "REGEXP"};
      changed = true;
    } else if (IsSym(t[i], "!~")) {
      t[i] = {SqlToken::kWord, "NOT REGEXP"};
      changed = true;
    } else if (IsSym(t[i], "~*")) {
      t[i] = {SqlToken::kWord, "REGEXP '(?i)' ||"};
      changed = true;
    } else if (Is(t[i], "collate") && i + 3 < t.size() && Is(t[i + 1], "pg_catalog") &&
               IsSym(t[i + 2], ".")) {
      t.erase(t.begin() + static_cast<long>(i), t.begin() + static_cast<long>(i) + 4);
      --i;
      changed = true;
    } else if (Is(t[i], "pg_catalog") && i + 3 < t.size() && IsSym(t[i + 1], ".") &&
               t[i + 2].kind == SqlToken::kWord && IsSym(t[i + 3], "(")) {
      t.erase(t.begin() + static_cast<long>(i), t.begin() + static_cast<long>(i) + 2);
      --i;  // the function's own rewrite, if any, comes next
      changed = true;
    } else if ((Is(t[i], "current_user") || Is(t[i], "session_user") || Is(t[i], "user")) &&
               (i + 1 >= t.size() || !IsSym(t[i + 1], "(")) && (i == 0 || !IsSym(t[i - 1], "."))) {
      t[i] = {SqlToken::kWord, "pg_current_user()"};
      changed = true;
    } else if ((Is(t[i], "current_schema") || Is(t[i], "current_catalog")) &&
               (i + 1 >= t.size() || !IsSym(t[i + 1], "("))) {
      t[i] = {SqlToken::kWord, Lower(t[i].text) + "()"};
      changed = true;
    }
  }
  // Casts, left to right, so that a::b::c wraps the first cast in the second.
  for (size_t i = 1; i < t.size(); ++i) {
    if (!IsSym(t[i], "::")) continue;
    std::optional<size_t> start = OperandStart(t, i - 1);
    if (!start || i + 1 >= t.size()) continue;
    size_t k = i + 1;
    if (Is(t[k], "pg_catalog") && k + 2 < t.size() && IsSym(t[k + 1], ".")) k += 2;
    std::string type = Lower(t[k].text);
    size_t end = k + 1;  // one past the type
    if ((type == "double" && end < t.size() && Is(t[end], "precision")) ||
        (type == "character" && end < t.size() && Is(t[end], "varying"))) {
      type += " " + Lower(t[end].text);
      ++end;
    }
    if (end < t.size() && IsSym(t[end], "(")) {
      while (end < t.size() && !IsSym(t[end], ")")) ++end;
      if (end < t.size()) ++end;
    }
    if (type.starts_with("timestamp") || type == "time") {
      // timestamp with/without time zone
      if (end + 2 < t.size() && (Is(t[end], "with") || Is(t[end], "without")) &&
          Is(t[end + 1], "time") && Is(t[end + 2], "zone")) {
        end += 3;
      }
    }
    bool array = false;
    if (end + 1 < t.size() && IsSym(t[end], "[") && IsSym(t[end + 1], "]")) {
      array = true;
      end += 2;
    }
    const std::optional<CastTo> catalog = CatalogCast(type, array);
    if (!catalog) {
      // The dialect casts it; it reads `::type`, not `::pg_catalog.type`.
      if (k != i + 1) {
        t.erase(t.begin() + static_cast<long>(i) + 1, t.begin() + static_cast<long>(k));
        changed = true;
      }
      continue;
    }
    const CastTo& to = *catalog;
    Tokens operand(t.begin() + static_cast<long>(*start), t.begin() + static_cast<long>(i));
    Tokens replacement;
    if (!to.function.empty()) {
      replacement.push_back({SqlToken::kWord, to.function});
      replacement.push_back({SqlToken::kSymbol, "("});
      replacement.insert(replacement.end(), operand.begin(), operand.end());
      replacement.push_back({SqlToken::kSymbol, ")"});
    } else if (!to.cast.empty()) {
      replacement.push_back({SqlToken::kWord, "CAST"});
      replacement.push_back({SqlToken::kSymbol, "("});
      replacement.insert(replacement.end(), operand.begin(), operand.end());
      replacement.push_back({SqlToken::kWord, "AS " + to.cast});
      replacement.push_back({SqlToken::kSymbol, ")"});
    } else {
      replacement.push_back({SqlToken::kSymbol, "("});
      replacement.insert(replacement.end(), operand.begin(), operand.end());
      replacement.push_back({SqlToken::kSymbol, ")"});
    }
    t.erase(t.begin() + static_cast<long>(*start), t.begin() + static_cast<long>(end));
    t.insert(t.begin() + static_cast<long>(*start), replacement.begin(), replacement.end());
    i = *start + replacement.size() - 1;
    changed = true;
  }
  if (!changed) return std::string(sql);
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (i > 0 && !IsSym(t[i], ".") && !IsSym(t[i - 1], ".")) out += ' ';
    out += t[i].text;
  }
  return out;
}

StatementKind Classify(std::string_view sql) {
  std::vector<std::string> words;
  for (const SqlToken& t : Tokenize(sql)) {
    if (t.kind == SqlToken::kSpace) continue;
    if (t.kind != SqlToken::kWord) {
      if (words.empty()) words.push_back(t.text);
      break;
    }
    words.push_back(Lower(t.text));
    if (words.size() == 6) break;
  }
  StatementKind k;
  if (words.empty()) {
    k.kind = StatementKind::kEmpty;
    return k;
  }
  const std::string& w = words[0];
  // Transaction and session statements: the dialect's list, with PostgreSQL's command tags.
  if (std::string tag = NoOpCommandTag(sql); !tag.empty()) {
    k.kind = StatementKind::kNoOp;
    k.tag = std::move(tag);
    return k;
  }
  // SHOW TABLES, SHOW COLUMNS FROM t, ... are the dialect's; SHOW name reads a setting.
  static const char* kDialectShows[] = {"tables", "views", "columns", "partitions", "create"};
  bool dialect_show = false;
  for (const char* show : kDialectShows) {
    if (words.size() > 1 && words[1] == show) dialect_show = true;
  }
  if (w == "show" && words.size() > 1 && !dialect_show) {
    k.kind = StatementKind::kShow;
    for (size_t i = 1; i < words.size(); ++i) k.show += (i > 1 ? " " : "") + words[i];
    return k;
  }
  static const char* kWrites[] = {"insert",   "update",  "delete",  "create",  "drop",   "alter",
                                  "truncate", "copy",    "grant",   "revoke",  "vacuum", "merge",
                                  "lock",     "comment", "refresh", "cluster", "reindex"};
  for (const char* verb : kWrites) {
    if (w == verb) {
      k.kind = StatementKind::kWrite;
      k.tag = w;
      for (char& c : k.tag) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return k;
    }
  }
  return k;
}

}  // namespace saleslake::sql::pgwire
