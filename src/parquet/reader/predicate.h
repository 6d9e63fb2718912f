// Simple predicates on one column (=, <, <=, >, >=, IN, BETWEEN) and what statistics say about
// them: a predicate "may match" a row group or page unless its min/max (or a bloom filter) prove
// that no row can. Pruning never drops a row that matches; it may keep rows that do not (callers
// filter the rows they get).
//
// Literals are in the column's own terms: integers for INT32/INT64 columns (unscaled for
// decimals, days for DATE, the column's unit for TIME/TIMESTAMP), unscaled integers for decimals
// stored as bytes, doubles for FLOAT/DOUBLE, bytes for strings and binary, bool for BOOLEAN.
// ParseLiteral turns a person's text ("118999.15", "2026-11-26T10:00:00Z") into one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"
#include "parquet/metadata.h"
#include "parquet/reader/schema.h"

namespace saleslake::parquet {

using Literal = std::variant<bool, int64_t, double, std::string>;

enum class CompareOp { kEq, kLt, kLe, kGt, kGe, kIn, kBetween };

std::string_view CompareOpName(CompareOp op);

struct ColumnPredicate {
  std::string column;
  CompareOp op = CompareOp::kEq;
  // One value for comparisons, two (low, high; inclusive) for BETWEEN, one or more for IN.
  std::vector<Literal> values;
};

// Converts text into a literal for `column` (see the header comment for the forms).
Result<Literal> ParseLiteral(const ColumnDescriptor& column, std::string_view text);

// The bounds a chunk's or page's statistics give, decoded for comparison. Absent bounds (no
// usable statistics) mean "anything may be there".
struct ValueBounds {
  std::optional<std::string> min;  // PLAIN-encoded, as stored
  std::optional<std::string> max;
  bool all_null = false;  // every value is null: no comparison can match
};

// The bounds from a column chunk's Statistics that are safe to use for this column (the
// deprecated min/max only where their signed order is the column's order; none for INT96 or
// columns without a defined order).
ValueBounds BoundsFromStatistics(const ColumnDescriptor& column, const Statistics& stats,
                                 int64_t num_values);

// False when the bounds prove no value can satisfy `predicate`. Fails when a literal does not
// fit the column (e.g. a string for an INT64 column).
Result<bool> MayMatch(const ColumnDescriptor& column, const ColumnPredicate& predicate,
                      const ValueBounds& bounds);

// The PLAIN bytes of a literal as the column stores it (what bloom filters hash), or nullopt when
// the literal cannot be stored exactly in the column (then no bloom check applies).
std::optional<std::string> PlainBytesOf(const ColumnDescriptor& column, const Literal& literal);

// Checks that every literal of `predicate` fits `column`.
Status ValidatePredicate(const ColumnDescriptor& column, const ColumnPredicate& predicate);

}  // namespace saleslake::parquet
