// PostgreSQL types of result columns and their text and binary encodings (the formats pgjdbc,
// psycopg and node-postgres read), and the decoding of parameters sent in binary.
//
// A result column's type comes from its declared type (a lake column: VARCHAR -> text,
// BIGINT -> int8, INTEGER -> int4, DECIMAL(p,s) -> numeric, DOUBLE -> float8, DATE -> date,
// TIMESTAMP -> timestamp, BOOLEAN -> bool) or, for an expression, from its first non-NULL value
// (integer -> int8, real -> float8, text -> text, blob -> bytea).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/query_engine.h"

namespace saleslake::sql::pgwire {

enum Oid : uint32_t {
  kBool = 16,
  kBytea = 17,
  kChar = 18,
  kName = 19,
  kInt8 = 20,
  kInt2 = 21,
  kInt4 = 23,
  kText = 25,
  kOid = 26,
  kFloat4 = 700,
  kFloat8 = 701,
  kVarchar = 1043,
  kDate = 1082,
  kTimestamp = 1114,
  kTimestampTz = 1184,
  kNumeric = 1700,
  kUnknown = 705,
};

struct PgType {
  uint32_t oid = kText;
  int16_t size = -1;      // typlen
  int32_t modifier = -1;  // numeric: ((precision << 16) | scale) + 4
  int scale = -1;         // numeric: digits after the point (-1: as the value has them)
};

// The type of a column declared as `declared` ("" for expressions: see ColumnTypes).
std::optional<PgType> TypeOfDeclared(std::string_view declared);
// The types of a result's columns: declared ones, else from the first non-NULL value.
std::vector<PgType> ColumnTypes(const QueryResult& result);

// One cell in text or binary format; nullopt for NULL. A value that does not fit the type (text in
// an int8 column) gives an error message in *error.
std::optional<std::string> EncodeText(const Value& v, const PgType& type, std::string* error);
std::optional<std::string> EncodeBinary(const Value& v, const PgType& type, std::string* error);

// A parameter to a SQL literal: text-format ones by their declared type (0: as a number when it
// looks like one), binary ones decoded per type. Error message in *error when it cannot be.
std::optional<std::string> ParameterLiteral(const std::optional<std::string>& value, uint32_t oid,
                                            bool binary, std::string* error);

// "Day count since 2000-01-01" and "microseconds since 2000-01-01 00:00" of ISO text, and back.
std::optional<int32_t> PgDays(std::string_view iso_date);
std::optional<int64_t> PgMicros(std::string_view iso_timestamp);
std::string FormatPgDate(int32_t days);
std::string FormatPgTimestamp(int64_t micros);
// PostgreSQL's binary numeric from a decimal string ("-123.4500"), and back.
std::optional<std::string> NumericBinary(std::string_view decimal);
std::optional<std::string> NumericFromBinary(std::string_view bytes);

}  // namespace saleslake::sql::pgwire
