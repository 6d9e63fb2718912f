// The text of statements PostgreSQL clients send, made into statements the engine runs in its
// kTrinoPostgres dialect (sql/dialect/dialect.h, which reads `x::type` casts, EXTRACT, INTERVAL
// and the transaction statements): splitting a simple query into statements, substituting $n
// parameters as literals, and the rewrite of what only the PostgreSQL catalog needs
// (RewritePostgres: `~`/`!~`/OPERATOR(pg_catalog.~) regex matches, COLLATE pg_catalog.default,
// pg_catalog.-qualified names, casts to the catalog's types, arrays and = ANY, subscripts,
// string_agg, generate_series, current_user).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace saleslake::sql::pgwire {

struct SqlToken {
  enum Kind { kSpace, kWord, kQuotedIdent, kString, kNumber, kParam, kSymbol };
  Kind kind;
  std::string text;
};

// Tokens of `sql`, whitespace and comments as kSpace (so that joining the texts gives `sql`
// back). An unterminated string or quoted identifier runs to the end.
std::vector<SqlToken> Tokenize(std::string_view sql);

// The statements of a simple query, split at top-level ';' (empty ones dropped).
std::vector<std::string> SplitStatements(std::string_view sql);

// `sql` with each $n replaced by literals[n-1]. False (and `error` set) when a $n has no value.
bool SubstituteParameters(std::string_view sql, const std::vector<std::string>& literals,
                          std::string* out, std::string* error);
// The highest $n in `sql` (0 when none).
int CountParameters(std::string_view sql);

// A SQL literal for a text value: numbers as they are, everything else single-quoted.
std::string QuoteLiteral(std::string_view value, bool may_be_number);

// The catalog's forms above rewritten to the engine's (a cast to a value type, `::int`,
// `::pg_catalog.text`, is left to the dialect); `sql` unchanged when none appears.
std::string RewritePostgres(std::string_view sql);

// What a statement is, by its first words.
struct StatementKind {
  enum Kind { kQuery, kEmpty, kNoOp, kShow, kWrite };
  Kind kind = kQuery;
  std::string tag;   // kNoOp: the command tag (BEGIN, COMMIT, SET, ...); kWrite: the verb
  std::string show;  // kShow: the setting's name, lower case ("transaction isolation level", ...)
};
StatementKind Classify(std::string_view sql);

}  // namespace saleslake::sql::pgwire
