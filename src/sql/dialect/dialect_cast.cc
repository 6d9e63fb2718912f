// CAST, TRY_CAST, `::` and EXTRACT in the Trino dialect: each becomes a call of a tr_cast_* /
// tr_extract function (trino_functions.h) that converts as Trino does or fails naming the value.
#include <fmt/format.h>

#include <cctype>

#include "base/clock.h"
#include "sql/dialect/dialect_internal.h"
#include "sql/sql_functions.h"

namespace saleslake::sql::dialect {
namespace {

std::string NormalizeType(std::string type) {
  std::string out;
  for (char c : type) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  std::string compact;  // no spaces around parentheses and commas
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == ' ' &&
        ((i + 1 < out.size() && (out[i + 1] == '(' || out[i + 1] == ')' || out[i + 1] == ',')) ||
         (!compact.empty() && (compact.back() == '(' || compact.back() == ',')))) {
      continue;
    }
    compact += out[i];
  }
  return compact;
}

// "name(a,b)" -> name, {a, b}.
std::string TypeName(const std::string& type, std::vector<int64_t>* params) {
  const size_t paren = type.find('(');
  if (paren == std::string::npos) return type;
  std::string inner = type.substr(paren + 1, type.size() - paren - 2);
  size_t begin = 0;
  while (begin <= inner.size()) {
    size_t comma = inner.find(',', begin);
    if (comma == std::string::npos) comma = inner.size();
    int64_t v = 0;
    if (ParseInt(inner.substr(begin, comma - begin), &v)) params->push_back(v);
    begin = comma + 1;
  }
  return type.substr(0, paren);
}

}  // namespace

Result<std::string> CastToDate(std::string_view text) {
  std::optional<int64_t> micros = ParseTimestampText(text);
  if (!micros || text.size() != 10) {
    return Status::InvalidArgument(fmt::format("Value cannot be cast to date: {}", text));
  }
  return FormatSqlTimestamp(*micros).substr(0, 10);
}

Result<std::string> CastToTimestamp(std::string_view text) {
  std::optional<int64_t> micros = ParseTimestampText(text);
  if (!micros) {
    return Status::InvalidArgument(fmt::format("Value cannot be cast to timestamp: {}", text));
  }
  return FormatSqlTimestamp(*micros);
}

Result<CastCall> CastFor(const std::string& value, NumType value_type, std::string type,
                         bool try_cast, const SqlNode& at) {
  (void)at;
  const std::string normalized = NormalizeType(std::move(type));
  std::vector<int64_t> params;
  const std::string name = TypeName(normalized, &params);
  const int t = try_cast ? 1 : 0;
  if (name == "date") {
    return CastCall{fmt::format("tr_cast_date({}, {})", value, t), {NumType::kDate, 0}};
  }
  if (name == "timestamp" || name == "timestamp without time zone" || name == "timestamptz" ||
      name == "timestamp with time zone") {
    return CastCall{fmt::format("tr_cast_timestamp({}, {})", value, t), {}};
  }
  if (name == "varchar" || name == "text" || name == "string" || name == "char" ||
      name == "character varying" || name == "character" || name == "bpchar") {
    const int scale = value_type.kind == NumType::kDecimal ? value_type.scale : -1;
    const int64_t length = params.empty() ? -1 : params[0];
    return CastCall{fmt::format("tr_cast_varchar({}, {}, {})", value, scale, length), {}};
  }
  if (name == "decimal" || name == "numeric" || name == "dec") {
    const int64_t precision = params.size() >= 1 ? params[0] : 38;
    const int64_t scale = params.size() >= 2 ? params[1] : 0;
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision || scale > 6) {
      return Status::InvalidArgument(fmt::format(
          "CAST to {} is not supported: DECIMAL(p,s) needs 1 <= p <= 38 and 0 <= s <= 6",
          normalized));
    }
    return CastCall{fmt::format("tr_cast_decimal({}, {}, {}, {})", value, precision, scale, t),
                    {NumType::kDecimal, static_cast<int>(scale)}};
  }
  static const std::pair<const char*, int> kIntegers[] = {
      {"bigint", 64}, {"int8", 64},     {"integer", 32}, {"int", 32},
      {"int4", 32},   {"smallint", 16}, {"int2", 16},    {"tinyint", 8}};
  for (const auto& [n, bits] : kIntegers) {
    if (name == n) {
      return CastCall{fmt::format("tr_cast_integer({}, {}, {})", value, bits, t),
                      {NumType::kInteger, 0}};
    }
  }
  if (name == "double" || name == "double precision" || name == "real" || name == "float" ||
      name == "float8" || name == "float4") {
    return CastCall{fmt::format("tr_cast_double({}, {})", value, t), {NumType::kDouble, 0}};
  }
  if (name == "boolean" || name == "bool") {
    return CastCall{fmt::format("tr_cast_boolean({}, {})", value, t), {NumType::kInteger, 0}};
  }
  return Status::InvalidArgument(fmt::format(
      "CAST to {} is not supported: the types are DATE, TIMESTAMP, VARCHAR, DECIMAL(p,s), "
      "BIGINT, INTEGER, SMALLINT, TINYINT, DOUBLE, REAL and BOOLEAN",
      normalized.empty() ? "nothing" : normalized));
}

Status Translator::RewriteCast(SqlNodes* nodes, size_t i, bool try_cast) {
  const SqlNodes& inner = (*nodes)[i + 1].children;
  size_t as = inner.size();
  for (size_t k = 0; k < inner.size(); ++k) {
    if (inner[k].IsWord("as")) as = k;
  }
  if (as == inner.size() || as == 0 || as + 1 >= inner.size()) {
    return Refuse((*nodes)[i], "CAST must be written CAST(value AS type)");
  }
  const std::string value = PrintNodes(inner, 0, as);
  const NumType value_type = ExprType(inner, 0, as);
  SL_ASSIGN_OR_RETURN(
      CastCall call,
      CastFor(value, value_type, PrintNodes(inner, as + 1, inner.size()), try_cast, (*nodes)[i]));
  Replace(nodes, i, i + 2, std::move(call.text), call.type);
  return Status::OK();
}

Status Translator::RewriteExtract(SqlNodes* nodes, size_t i) {
  const SqlNodes& inner = (*nodes)[i + 1].children;
  if (inner.size() < 3 || inner[0].kind != SqlNode::kWord || !inner[1].IsWord("from")) {
    return Refuse((*nodes)[i], "EXTRACT must be written EXTRACT(field FROM value)");
  }
  std::string field = inner[0].Lower();
  static const std::set<std::string> kFields = {
      "year",         "quarter",     "month",       "week",       "day",
      "day_of_month", "day_of_week", "dow",         "isodow",     "day_of_year",
      "doy",          "hour",        "minute",      "second",     "epoch",
      "year_of_week", "yow",         "millisecond", "microsecond"};
  if (!kFields.count(field)) {
    return Refuse((*nodes)[i], fmt::format("EXTRACT({} FROM …) is not supported", inner[0].text));
  }
  Replace(nodes, i, i + 2,
          fmt::format("tr_extract('{}', {})", field, PrintNodes(inner, 2, inner.size())),
          field == "epoch" || field == "second" ? NumType{} : NumType{NumType::kInteger, 0});
  return Status::OK();
}

}  // namespace saleslake::sql::dialect
