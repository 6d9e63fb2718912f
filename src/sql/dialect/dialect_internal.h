// Internal to src/sql/dialect: the Trino rewrite's pieces (dialect.cc, dialect_cast.cc,
// dialect_show.cc).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "sql/dialect/dialect.h"
#include "sql/dialect/sql_tokens.h"

namespace saleslake::sql::dialect {

bool ParseInt(std::string_view s, int64_t* out);

// A DATE or TIMESTAMP literal's text in the form the engine stores ('YYYY-MM-DD',
// 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC), or InvalidArgument naming the value.
Result<std::string> CastToDate(std::string_view text);
Result<std::string> CastToTimestamp(std::string_view text);

struct CastCall {
  std::string text;  // the call replacing the cast
  NumType type;
};
// CAST(value AS type) (or TRY_CAST when `try_cast`), `value_type` the value's type as known.
Result<CastCall> CastFor(const std::string& value, NumType value_type, std::string type,
                         bool try_cast, const SqlNode& at);

// SHOW TABLES / SHOW COLUMNS FROM t / DESCRIBE t / SHOW PARTITIONS t / SHOW CREATE TABLE t, from
// nodes[first] on, as a SELECT over VALUES.
Result<std::string> TranslateShow(const SqlNodes& nodes, size_t first,
                                  const std::vector<table::LakeTable>& tables);

// An item of the statement's (first top-level) SELECT list: nodes [begin, end), the expression
// [begin, expr_end) before any alias.
struct SelectItem {
  size_t begin, expr_end, end;
  bool aliased;
};
std::vector<SelectItem> SelectItems(const SqlNodes& nodes);
// Gives each unaliased item whose text the rewrite changed its original text as its name.
void NameRewrittenItems(const std::vector<std::string>& original, SqlNodes* nodes);

class Translator {
 public:
  Translator(Dialect dialect, const std::vector<table::LakeTable>& tables);

  void CollectAliases(const SqlNodes& nodes);
  Status Rewrite(SqlNodes* nodes);
  std::vector<int> ResultScales(const SqlNodes& nodes) const;
  bool changed() const { return changed_; }

 private:
  Status RewriteCallsAndLiterals(SqlNodes* nodes);
  Status RewriteCast(SqlNodes* nodes, size_t i, bool try_cast);
  Status RewriteExtract(SqlNodes* nodes, size_t i);
  Status RewriteIntervals(SqlNodes* nodes);
  Status RewriteColonCasts(SqlNodes* nodes);
  Status RewriteDivisions(SqlNodes* nodes);
  void Replace(SqlNodes* nodes, size_t begin, size_t end, std::string text, NumType type);
  Status Refuse(const SqlNode& at, std::string_view what) const;

  NumType ExprType(const SqlNodes& nodes, size_t begin, size_t end) const;
  NumType TermType(const SqlNodes& nodes, size_t begin, size_t end) const;
  NumType ColumnType(const SqlNode& name) const;

  Dialect dialect_;
  const std::vector<table::LakeTable>& tables_;
  std::map<std::string, NumType> column_types_;  // lower-cased column name -> type
  std::set<std::string> aliases_;                // names given with AS: their type is unknown
  std::map<std::string, NumType> alias_types_;   // ... unless a SELECT list's `expr AS name`
  bool changed_ = false;
};

}  // namespace saleslake::sql::dialect
