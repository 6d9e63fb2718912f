// Printing a QueryResult: an aligned text table, CSV (RFC 4180), NDJSON (one object per row) and
// the JSON document of query_engine.h (QueryResultToJson).
#pragma once

#include <string>

#include "sql/query_engine.h"

namespace saleslake::sql {

enum class ResultFormat { kTable, kCsv, kJson, kNdjson };

// "table", "csv", "json", "ndjson".
Result<ResultFormat> ParseResultFormat(const std::string& name);

// The whole result in `format`; tables end with a "(N rows, truncated)" line.
std::string FormatResult(const QueryResult& result, ResultFormat format);

}  // namespace saleslake::sql
