// CleanSaleTyper: the fast path of typing one sale record, for the shape nearly every record has.
//
// It types a record only when it is a JSON object with exactly the 15 fields (in any order, none
// twice, keys without escapes), every value of its type and in its plainest form: strings of at
// most ValidationOptions::max_field_bytes, a timestamp that parses, money as -?digits[.d[d]]
// (at most 13 integer digits, or 16 without a fraction), quantity as an integer that fits 32 bits.
// Then every field is valid and the record says nothing the typed columns do not, and the values
// are exactly the ones SalesValidator::Validate would give (same trimming, same paise, same
// micros). Anything else returns false, and the caller asks SalesValidator, whose verdict is the
// definition; so the fast path can only be faster, never different.
//
// Two ways in, tried in order: the compact shape the generator writes (the 15 fields in schema
// order, no whitespace between tokens, printable ASCII strings without escapes, plain numbers) is
// read without a parser, from a bitmask of its quotes; any other record is parsed with simdjson
// On-Demand (no tape). Either way string values without escapes are views of the input, not
// copies, and the values are the same. On x86-64 this file is compiled for AVX2 (see
// CMakeLists.txt); Make() returns null on a CPU without it, and callers then use SalesValidator for
// every record.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "table/sales_validator.h"

namespace saleslake::table {

class CleanSaleTyper {
 public:
  // Null when this CPU cannot run the fast path.
  static std::unique_ptr<CleanSaleTyper> Make(size_t max_field_bytes = 64 << 10);
  virtual ~CleanSaleTyper() = default;

  // Types `record` into *sale (valid = all fields, reasons = 0, text views into `record` or the
  // parser) and returns true; false when the record is not of the clean shape (*sale is then
  // unspecified). REQUIRES: `padded_bytes` >= 64 readable bytes after the record's end (any
  // content; the next record in a buffer will do).
  virtual bool Type(std::string_view record, size_t padded_bytes, ParsedSale* sale) = 0;
};

namespace internal {
std::unique_ptr<CleanSaleTyper> NewOnDemandSaleTyper(size_t max_field_bytes);
}  // namespace internal

}  // namespace saleslake::table
