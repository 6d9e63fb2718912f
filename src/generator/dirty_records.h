// Malformed records for --dirty: each kind is one thing a real feed gets wrong, and each dirty
// record has exactly one defect, so the pipeline's quarantine can be tested reason by reason.
// Records stay separate JSON values (a tolerant parser can split them); only their content is bad.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "generator/random.h"
#include "generator/sale_writer.h"

namespace saleslake::generator {

enum class DirtyKind : uint8_t {
  kMissingField,         // one of the 15 fields is absent
  kNullValue,            // one field is null
  kWrongType,            // a number as a string, a string as a number, an array for a name ...
  kBadTimestamp,         // not ISO 8601, or no such date/time (Feb 30, 25:10)
  kFutureTimestamp,      // valid, but after `now`
  kNonPositiveQuantity,  // 0 or negative (total still mrp x quantity)
  kTotalMismatch,        // total != mrp x quantity
  kUnknownStore,         // store_id not in the catalog
  kUnknownProduct,       // product_id not in the catalog
  kStoreNameMismatch,    // store_id known, store_name of another store
  kBadEmail,             // no '@', two '@', no domain, a space ...
  kDuplicateIdentical,   // an earlier record again, byte for byte
  kDuplicateConflict,    // an earlier record's transaction_id with different content
  kOversizedField,       // customer_name of kOversizedFieldBytes
  kInvalidUtf8,          // a string with a lone UTF-16 surrogate escape (\ud800)
  kNotAnObject,          // an array element / NDJSON line that is not an object
  kExtraField,           // an unknown 16th field
};
constexpr int kDirtyKindCount = 17;

// Bigger than a 64 KiB field cap, the natural limit for one string in a sale record.
constexpr size_t kOversizedFieldBytes = 70'000;

std::string_view DirtyKindName(DirtyKind kind);
const std::array<std::string_view, kDirtyKindCount>& AllDirtyKindNames();

class DirtyRecordMaker {
 public:
  DirtyRecordMaker(const SaleWriter& writer, const SaleSampler& sampler, int64_t now_micros);

  // Offers a clean record already written, as the original of later duplicates.
  void Remember(const Sale& sale) {
    recent_[remembered_ % kRecent] = sale;
    ++remembered_;
  }

  // Replaces `out` with one malformed record (a JSON value) and returns its kind.
  DirtyKind Make(Rng& rng, std::string* out);

 private:
  using Fields = std::vector<std::pair<std::string, std::string>>;
  static constexpr size_t kRecent = 4096;

  void Damage(DirtyKind kind, const Sale& sale, Rng& rng, Fields* fields);
  std::string* Value(Fields* fields, std::string_view name);

  const SaleWriter& writer_;
  const SaleSampler& sampler_;
  int64_t now_micros_;
  std::vector<Sale> recent_ = std::vector<Sale>(kRecent);  // a ring of the latest clean sales
  uint64_t remembered_ = 0;
};

}  // namespace saleslake::generator
