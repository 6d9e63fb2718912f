// The text of statements PostgreSQL clients send, made into statements the SQLite-based engine
// runs: splitting a simple query into statements, substituting $n parameters as literals, and a
// small rewrite of the PostgreSQL forms drivers and BI tools send (`x::type` casts,
// EXTRACT(field FROM x), `~`/`!~`/OPERATOR(pg_catalog.~) regex matches, COLLATE
// pg_catalog.default, pg_catalog.-qualified function names, current_user). The rewrite is one
// function (RewritePostgres) so that a fuller dialect layer can take its place.
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

// The PostgreSQL forms above rewritten to the engine's; `sql` unchanged when none appears.
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
