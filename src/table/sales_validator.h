// SalesValidator: parses one sale record's JSON text and judges it.
//
// It does both jobs the pipeline needs from one pass over the bytes:
//   - typing (the raw layer): every field whose value parses into its type is kept typed, with a
//     bit in `valid`; the rest stays only in the record's original text;
//   - judging (transform): every rule the record breaks sets a Reason bit, and `detail` says the
//     first problem in words, for the quarantine.
//
// Money is exact: JSON number text goes straight to scaled integers (paise), never through a
// double. Strings are trimmed. Views into the record stay valid until the next Validate call.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "table/reference_catalog.h"
#include "table/sales_record.h"

namespace saleslake::table {

// Why a record is quarantined. Bits of ParsedSale::reasons; names are stable (they are stored).
enum Reason : uint32_t {
  kBadJson = 1u << 0,          // not parseable JSON
  kNotAnObject = 1u << 1,      // a JSON value that is not an object
  kMissingField = 1u << 2,     // one of the 15 fields is absent
  kNullValue = 1u << 3,        // a field is null
  kBadType = 1u << 4,          // a field has the wrong JSON type (or money with >2 decimals)
  kBadTimestamp = 1u << 5,     // not ISO 8601, or no such date or time
  kFutureTimestamp = 1u << 6,  // after now (plus a tolerance for clock skew)
  kNonPositiveQuantity = 1u << 7,
  kTotalMismatch = 1u << 8,     // total != mrp x quantity
  kUnknownStore = 1u << 9,      // with a reference catalog
  kUnknownProduct = 1u << 10,   // with a reference catalog
  kStoreMismatch = 1u << 11,    // store name or location is not the store id's
  kProductMismatch = 1u << 12,  // product name, category, brand or prices are not the id's
  kBadEmail = 1u << 13,
  kOversizedField = 1u << 14,     // a string longer than the cap, or a record longer than its cap
  kInvalidUtf8 = 1u << 15,        // invalid UTF-8 bytes or an unpaired surrogate escape
  kExtraField = 1u << 16,         // a field that is not one of the 15
  kRepeatedField = 1u << 17,      // the same field twice
  kDuplicateConflict = 1u << 18,  // set by transform: same id as a kept sale, different content
};
inline constexpr int kReasonCount = 19;

std::string_view ReasonName(Reason reason);
// "missing_field,bad_email" (in bit order); "" for 0.
std::string ReasonsToString(uint32_t reasons);

struct ParsedSale {
  uint32_t valid = 0;    // bit i: field i (SalesField order) parsed into its type
  uint32_t reasons = 0;  // Reason bits; 0 means the record is clean
  std::string detail;    // the first problem in words; empty when clean

  // Typed values; meaningful only where `valid` has the field's bit.
  std::array<std::string_view, kSalesFieldCount> text;  // the string fields, trimmed
  int64_t timestamp_micros = 0;                         // UTC
  int64_t retail_price_paise = 0;
  int64_t quantity = 0;
  int64_t mrp_paise = 0;
  int64_t total_paise = 0;

  bool clean() const { return reasons == 0; }
  bool has(SalesField f) const { return (valid >> static_cast<int>(f)) & 1u; }
};

struct ValidationOptions {
  int64_t now_micros = 0;  // future_timestamp is judged against this
  int64_t future_tolerance_micros = 5 * 60 * 1'000'000LL;
  size_t max_field_bytes = 64 << 10;            // longer strings are oversized_field
  const ReferenceCatalog* reference = nullptr;  // unknown_/..._mismatch checks when set
};

class SalesValidator {
 public:
  explicit SalesValidator(ValidationOptions options);
  ~SalesValidator();
  SalesValidator(const SalesValidator&) = delete;
  SalesValidator& operator=(const SalesValidator&) = delete;

  // Parses and judges one record. The result (and its views) stay valid until the next call.
  const ParsedSale& Validate(std::string_view record);

  // Applies the rules that judge typed values (future timestamp, quantity, total, e-mail,
  // reference catalog) to a sale typed elsewhere — a raw-layer row read back from Parquet — and
  // adds their reasons. Validate() calls it; typing reasons are Validate's alone.
  void Judge(ParsedSale* sale) const;

  const ValidationOptions& options() const { return options_; }

 private:
  struct Impl;
  ValidationOptions options_;
  std::unique_ptr<Impl> impl_;
};

// Plausible e-mail address: local@domain.tld with the usual characters (exposed for tests).
bool IsPlausibleEmail(std::string_view email);

}  // namespace saleslake::table
