// GroupByKernel: the one hash aggregation of saleslake. Rollups and the seed's tables, the SQL
// aggregate path and the dashboard's totals all group through it.
//
// Keys are integers (ints, dates as days, timestamps as micros, decimals unscaled, booleans 0/1)
// or strings; a group's key is one value (or NULL) per key column. Strings are hashed and compared
// by their bytes, whatever form a batch holds them in (dictionary, views, a constant). Within one
// batch, keys whose combined codes are few (dictionary
// indices, integers of a narrow range) are looked up in a dense array first, so the hash table is
// probed once per distinct key per batch, not once per row.
//
// Aggregates (AggOp) update column at a time: COUNT(*), COUNT(x), SUM(x), AVG(x) over int64
// values (a DECIMAL as its scaled integer) with exact __int128 sums; MIN and MAX over integers or
// strings. Sums never wrap: SumInt64 says when a sum does not fit 64 bits (the caller reports the
// overflow), and AverageRounded divides half away from zero at the value's scale, as Trino's AVG
// of DECIMAL(p,s) does.
//
// Partial states merge: each thread aggregates its own batches into its own kernel and Merge adds
// one kernel into another (same keys and aggregates). Group numbers depend on arrival order;
// SortedGroups gives the order callers show (keys ascending, NULL first, strings bytewise), which
// is the same whatever the thread count.
//
//   GroupByKernel k({KeyKind::kString}, {{AggOp::kSum}, {AggOp::kCountStar}});
//   k.FindGroups({KeyColumn::Dictionary(indices, dictionary)}, rows, &groups);
//   k.Update(0, groups, AggInput::Int64(totals));
//   k.Update(1, groups, {});
//   for (uint32_t g : k.SortedGroups()) use(k.KeyText(g, 0), *k.SumInt64(0, g), k.Count(1, g));
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace saleslake::table {

enum class KeyKind { kInt, kString };

// One key column of a batch. Values are addressed by row number (the `rows` given to
// FindGroups, or 0..n-1); `valid`, when set, has one byte per row, 0 for NULL.
struct KeyColumn {
  enum class Form { kInt64, kInt32, kDictionary, kStrings, kConstant };
  Form form = Form::kConstant;
  const int64_t* int64s = nullptr;
  const int32_t* int32s = nullptr;
  const uint32_t* indices = nullptr;             // kDictionary: entry of each row
  std::span<const std::string_view> dictionary;  // kDictionary: the entries
  const std::string_view* strings = nullptr;     // kStrings: one view per row
  const uint8_t* valid = nullptr;
  bool constant_null = false;  // kConstant: the one value of every row
  int64_t constant_int = 0;
  std::string_view constant_text;

  static KeyColumn Int64(const int64_t* v, const uint8_t* valid = nullptr);
  static KeyColumn Int32(const int32_t* v, const uint8_t* valid = nullptr);
  static KeyColumn Dictionary(const uint32_t* indices, std::span<const std::string_view> dict,
                              const uint8_t* valid = nullptr);
  static KeyColumn Strings(const std::string_view* v, const uint8_t* valid = nullptr);
  static KeyColumn ConstantInt(int64_t v);
  static KeyColumn ConstantText(std::string_view v);
  static KeyColumn Null();
};

enum class AggOp { kCountStar, kCount, kSum, kAvg, kMin, kMax, kMinString, kMaxString };

struct AggSpec {
  AggOp op = AggOp::kCountStar;
};

// The values one aggregate reads from a batch, addressed like KeyColumn. Integer aggregates read
// int64s or int32s; kMinString / kMaxString read a dictionary or string views. COUNT(*) reads
// nothing.
struct AggInput {
  const int64_t* int64s = nullptr;
  const int32_t* int32s = nullptr;
  const uint32_t* indices = nullptr;
  std::span<const std::string_view> dictionary;
  const std::string_view* strings = nullptr;
  const uint8_t* valid = nullptr;

  static AggInput Int64(const int64_t* v, const uint8_t* valid = nullptr) {
    AggInput in;
    in.int64s = v;
    in.valid = valid;
    return in;
  }
  static AggInput Int32(const int32_t* v, const uint8_t* valid = nullptr) {
    AggInput in;
    in.int32s = v;
    in.valid = valid;
    return in;
  }
};

class GroupByKernel {
 public:
  GroupByKernel(std::vector<KeyKind> keys, std::vector<AggSpec> aggs);

  size_t num_keys() const { return kinds_.size(); }
  size_t num_aggs() const { return aggs_.size(); }
  size_t num_groups() const { return num_groups_; }

  // The group of each row, creating groups as keys first appear. `rows` names the rows of the
  // batch to place (empty with `num_rows`: rows 0..num_rows-1); groups->at(i) is the group of the
  // i-th of them. With no key columns every row is in group 0.
  // REQUIRES: keys.size() == num_keys(), each of a form its KeyKind reads.
  void FindGroups(std::span<const KeyColumn> keys, std::span<const uint32_t> rows, size_t num_rows,
                  std::vector<uint32_t>* groups);

  // Adds the values of aggregate `agg` for the rows FindGroups placed: `groups` as it returned,
  // and the same `rows` (values are read at rows[i], or at i when `rows` is empty).
  void Update(size_t agg, std::span<const uint32_t> groups, std::span<const uint32_t> rows,
              const AggInput& input);

  // Adds `other`'s groups and states into this kernel. REQUIRES: the same keys and aggregates.
  void Merge(const GroupByKernel& other);

  // A group's key, per key column.
  bool KeyIsNull(uint32_t group, size_t key) const;
  int64_t KeyInt(uint32_t group, size_t key) const;
  std::string_view KeyText(uint32_t group, size_t key) const;

  // Rows counted: COUNT(*) every row, the others their non-NULL values.
  int64_t Count(size_t agg, uint32_t group) const { return counts_[agg][group]; }
  __int128 Sum(size_t agg, uint32_t group) const { return sums_[agg][group]; }
  // The sum, or nullopt when it does not fit 64 bits (the caller's overflow error).
  std::optional<int64_t> SumInt64(size_t agg, uint32_t group) const;
  // sum / count rounded half away from zero, at the values' own scale (nullopt when no value
  // was counted). `extra_scale` more digits: the result is scaled by 10^extra_scale first.
  std::optional<__int128> AverageRounded(size_t agg, uint32_t group, int extra_scale = 0) const;
  // MIN / MAX: false when the group saw no value.
  bool Has(size_t agg, uint32_t group) const { return counts_[agg][group] > 0; }
  int64_t MinMaxInt(size_t agg, uint32_t group) const { return extremes_[agg][group]; }
  const std::string& MinMaxText(size_t agg, uint32_t group) const { return texts_[agg][group]; }

  // Every group, keys ascending (column by column; NULL first, integers by value, strings
  // bytewise): an order independent of how batches arrived or were split among threads.
  std::vector<uint32_t> SortedGroups() const;

 private:
  // The candidate key of one row: per key column its integer or its text, the NULL bits, and the
  // hash of them all (strings hashed by their bytes, so every form of a string hashes alike).
  void BuildKey(std::span<const KeyColumn> keys, uint32_t row);
  uint32_t FindOrAdd();
  void Grow();

  std::vector<KeyKind> kinds_;
  std::vector<AggSpec> aggs_;
  size_t num_groups_ = 0;
  // Per group: the integer of each key column (0 for strings and NULLs), which key columns are
  // NULL (bit k), its hash; and per string key column, per group, the text.
  std::vector<int64_t> keys_;
  std::vector<uint64_t> nulls_;
  std::vector<uint64_t> hashes_;
  std::vector<std::vector<std::string>> key_texts_;
  // Open addressing over group numbers (-1: empty).
  std::vector<int32_t> table_;
  // States, per aggregate, per group.
  std::vector<std::vector<int64_t>> counts_;
  std::vector<std::vector<__int128>> sums_;
  std::vector<std::vector<int64_t>> extremes_;
  std::vector<std::vector<std::string>> texts_;
  // Scratch: the candidate key (BuildKey), dense codes and their groups (FindGroups).
  std::vector<int64_t> cand_ints_;
  std::vector<std::string_view> cand_texts_;
  uint64_t cand_nulls_ = 0;
  uint64_t cand_hash_ = 0;
  std::vector<int32_t> dense_;
  std::vector<uint64_t> codes_;
  std::vector<std::pair<uint64_t, int32_t>> code_map_;  // code -> group, open addressing
  struct Code {
    int64_t base = 0;
    uint64_t space = 1;
  };
  std::vector<Code> code_of_;
};

}  // namespace saleslake::table
