#include "table/group_by.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace saleslake::table {
namespace {

// Combined key codes up to this many are looked up by code per batch (an array or a small map).
constexpr uint64_t kMaxDenseCodes = uint64_t{1} << 40;
// An integer key column is coded densely when its batch's values span at most this many.
constexpr int64_t kMaxIntSpan = int64_t{1} << 16;

uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 32);
}

bool NeedsSum(AggOp op) { return op == AggOp::kSum || op == AggOp::kAvg; }
bool NeedsExtreme(AggOp op) { return op == AggOp::kMin || op == AggOp::kMax; }
bool NeedsText(AggOp op) { return op == AggOp::kMinString || op == AggOp::kMaxString; }

bool RowValid(const uint8_t* valid, uint32_t row) { return valid == nullptr || valid[row] != 0; }

}  // namespace

KeyColumn KeyColumn::Int64(const int64_t* v, const uint8_t* valid) {
  KeyColumn k;
  k.form = Form::kInt64;
  k.int64s = v;
  k.valid = valid;
  return k;
}
KeyColumn KeyColumn::Int32(const int32_t* v, const uint8_t* valid) {
  KeyColumn k;
  k.form = Form::kInt32;
  k.int32s = v;
  k.valid = valid;
  return k;
}
KeyColumn KeyColumn::Dictionary(const uint32_t* indices, std::span<const std::string_view> dict,
                                const uint8_t* valid) {
  KeyColumn k;
  k.form = Form::kDictionary;
  k.indices = indices;
  k.dictionary = dict;
  k.valid = valid;
  return k;
}
KeyColumn KeyColumn::Strings(const std::string_view* v, const uint8_t* valid) {
  KeyColumn k;
  k.form = Form::kStrings;
  k.strings = v;
  k.valid = valid;
  return k;
}
KeyColumn KeyColumn::ConstantInt(int64_t v) {
  KeyColumn k;
  k.constant_int = v;
  return k;
}
KeyColumn KeyColumn::ConstantText(std::string_view v) {
  KeyColumn k;
  k.constant_text = v;
  return k;
}
KeyColumn KeyColumn::Null() {
  KeyColumn k;
  k.constant_null = true;
  return k;
}

GroupByKernel::GroupByKernel(std::vector<KeyKind> keys, std::vector<AggSpec> aggs)
    : kinds_(std::move(keys)),
      aggs_(std::move(aggs)),
      key_texts_(kinds_.size()),
      counts_(aggs_.size()),
      sums_(aggs_.size()),
      extremes_(aggs_.size()),
      texts_(aggs_.size()),
      cand_ints_(kinds_.size()),
      cand_texts_(kinds_.size()),
      code_of_(kinds_.size()) {
  table_.assign(64, -1);
}

void GroupByKernel::Grow() {
  table_.assign(table_.size() * 2, -1);
  const size_t mask = table_.size() - 1;
  for (size_t g = 0; g < num_groups_; ++g) {
    size_t i = hashes_[g] & mask;
    while (table_[i] >= 0) i = (i + 1) & mask;
    table_[i] = static_cast<int32_t>(g);
  }
}

void GroupByKernel::BuildKey(std::span<const KeyColumn> keys, uint32_t r) {
  uint64_t nulls = 0;
  uint64_t h = 0x51ed27;
  for (size_t k = 0; k < kinds_.size(); ++k) {
    const KeyColumn& c = keys[k];
    int64_t v = 0;
    std::string_view text;
    bool null = false;
    switch (c.form) {
      case KeyColumn::Form::kInt64:
        null = !RowValid(c.valid, r);
        if (!null) v = c.int64s[r];
        break;
      case KeyColumn::Form::kInt32:
        null = !RowValid(c.valid, r);
        if (!null) v = c.int32s[r];
        break;
      case KeyColumn::Form::kDictionary:
        null = !RowValid(c.valid, r) || c.indices[r] >= c.dictionary.size();
        if (!null) text = c.dictionary[c.indices[r]];
        break;
      case KeyColumn::Form::kStrings:
        null = !RowValid(c.valid, r);
        if (!null) text = c.strings[r];
        break;
      case KeyColumn::Form::kConstant:
        null = c.constant_null;
        if (!null) {
          v = c.constant_int;
          text = c.constant_text;
        }
        break;
    }
    if (null) {
      nulls |= uint64_t{1} << k;
      v = 0;
      text = {};
    } else if (kinds_[k] == KeyKind::kString) {
      v = 0;
      h = Mix(h, std::hash<std::string_view>()(text));
    } else {
      h = Mix(h, static_cast<uint64_t>(v));
    }
    cand_ints_[k] = v;
    cand_texts_[k] = text;
  }
  cand_nulls_ = nulls;
  cand_hash_ = Mix(h, nulls);
}

uint32_t GroupByKernel::FindOrAdd() {
  const size_t width = kinds_.size();
  const size_t mask = table_.size() - 1;
  size_t i = cand_hash_ & mask;
  while (table_[i] >= 0) {
    const auto g = static_cast<size_t>(table_[i]);
    if (hashes_[g] == cand_hash_ && nulls_[g] == cand_nulls_) {
      bool same = true;
      for (size_t k = 0; k < width && same; ++k) {
        same = kinds_[k] == KeyKind::kString ? key_texts_[k][g] == cand_texts_[k]
                                             : keys_[g * width + k] == cand_ints_[k];
      }
      if (same) return static_cast<uint32_t>(g);
    }
    i = (i + 1) & mask;
  }
  const auto g = static_cast<uint32_t>(num_groups_);
  table_[i] = static_cast<int32_t>(g);
  hashes_.push_back(cand_hash_);
  keys_.insert(keys_.end(), cand_ints_.begin(), cand_ints_.end());
  nulls_.push_back(cand_nulls_);
  for (size_t k = 0; k < width; ++k) {
    if (kinds_[k] == KeyKind::kString) key_texts_[k].emplace_back(cand_texts_[k]);
  }
  for (size_t a = 0; a < aggs_.size(); ++a) {
    counts_[a].push_back(0);
    if (NeedsSum(aggs_[a].op)) sums_[a].push_back(0);
    if (NeedsExtreme(aggs_[a].op)) extremes_[a].push_back(0);
    if (NeedsText(aggs_[a].op)) texts_[a].emplace_back();
  }
  ++num_groups_;
  if (num_groups_ * 2 > table_.size()) Grow();
  return g;
}

void GroupByKernel::FindGroups(std::span<const KeyColumn> keys, std::span<const uint32_t> rows,
                               size_t num_rows, std::vector<uint32_t>* groups) {
  const size_t n = rows.empty() ? num_rows : rows.size();
  groups->resize(n);
  auto row_of = [&](size_t i) { return rows.empty() ? static_cast<uint32_t>(i) : rows[i]; };
  const size_t width = kinds_.size();
  if (width == 0) {
    if (num_groups_ == 0) {
      BuildKey(keys, 0);
      FindOrAdd();
    }
    std::fill(groups->begin(), groups->end(), 0);
    return;
  }
  // Dense codes: each key column's code in [0, space), 0 for NULL.
  uint64_t space = 1;
  bool dense = true;
  for (size_t k = 0; k < width && dense; ++k) {
    const KeyColumn& c = keys[k];
    Code& code = code_of_[k];
    code = Code();
    switch (c.form) {
      case KeyColumn::Form::kDictionary:
        code.space = c.dictionary.size() + 1;
        break;
      case KeyColumn::Form::kConstant:
        break;
      case KeyColumn::Form::kInt64:
      case KeyColumn::Form::kInt32: {
        int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
        for (size_t i = 0; i < n; ++i) {
          const uint32_t r = row_of(i);
          if (!RowValid(c.valid, r)) continue;
          const int64_t v = c.form == KeyColumn::Form::kInt64 ? c.int64s[r] : c.int32s[r];
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
        if (lo > hi) break;  // every row NULL
        if (hi - lo >= kMaxIntSpan || hi - lo < 0) {
          dense = false;
          break;
        }
        code.base = lo;
        code.space = static_cast<uint64_t>(hi - lo) + 2;
        break;
      }
      case KeyColumn::Form::kStrings:
        dense = false;
        break;
    }
    if (dense && space > kMaxDenseCodes / code.space) dense = false;
    if (dense) space *= code.space;
  }
  if (!dense) {
    for (size_t i = 0; i < n; ++i) {
      BuildKey(keys, row_of(i));
      (*groups)[i] = FindOrAdd();
    }
    return;
  }
  // A dense array of groups by code when the codes are few for the batch; a small hash map of the
  // codes met otherwise (two dictionaries of a few hundred entries: 10^5 codes, a few thousand
  // met).
  const bool array = space <= std::max<uint64_t>(1024, 4 * n);
  if (array && width == 1 && keys[0].form == KeyColumn::Form::kDictionary && rows.empty() &&
      keys[0].valid == nullptr) {
    // One dictionary key without NULLs (GROUP BY brand): the entry is the code.
    const KeyColumn& c = keys[0];
    const auto limit = static_cast<uint32_t>(c.dictionary.size());
    dense_.assign(space, -1);
    uint32_t* out = groups->data();
    for (size_t i = 0; i < n; ++i) {
      const uint32_t code = c.indices[i] < limit ? c.indices[i] + 1 : 0;
      int32_t g = dense_[code];
      if (g < 0) {
        BuildKey(keys, static_cast<uint32_t>(i));
        g = dense_[code] = static_cast<int32_t>(FindOrAdd());
      }
      out[i] = static_cast<uint32_t>(g);
    }
    return;
  }
  // Codes column at a time (tight loops per form), then one lookup per row.
  codes_.assign(n, 0);
  uint64_t* code = codes_.data();
  for (size_t k = 0; k < width; ++k) {
    const KeyColumn& c = keys[k];
    const uint64_t mul = code_of_[k].space;
    if (mul == 1) continue;
    switch (c.form) {
      case KeyColumn::Form::kDictionary: {
        const uint64_t limit = c.dictionary.size();
        if (rows.empty() && c.valid == nullptr) {  // the common case, without a branch per row
          for (size_t i = 0; i < n; ++i) {
            const uint64_t part = static_cast<uint64_t>(c.indices[i]) + 1;
            code[i] = code[i] * mul + (part > limit ? 0 : part);
          }
          break;
        }
        for (size_t i = 0; i < n; ++i) {
          const uint32_t r = row_of(i);
          uint64_t part = static_cast<uint64_t>(c.indices[r]) + 1;
          if (part > limit || !RowValid(c.valid, r)) part = 0;
          code[i] = code[i] * mul + part;
        }
        break;
      }
      case KeyColumn::Form::kInt64:
      case KeyColumn::Form::kInt32: {
        const int64_t base = code_of_[k].base;
        for (size_t i = 0; i < n; ++i) {
          const uint32_t r = row_of(i);
          const int64_t v = c.form == KeyColumn::Form::kInt64 ? c.int64s[r] : c.int32s[r];
          const uint64_t part = RowValid(c.valid, r) ? static_cast<uint64_t>(v - base) + 1 : 0;
          code[i] = code[i] * mul + part;
        }
        break;
      }
      default:
        break;
    }
  }
  uint32_t* out = groups->data();
  if (array) {
    dense_.assign(space, -1);
    for (size_t i = 0; i < n; ++i) {
      int32_t& g = dense_[code[i]];
      if (g < 0) {
        BuildKey(keys, row_of(i));
        g = static_cast<int32_t>(FindOrAdd());
      }
      out[i] = static_cast<uint32_t>(g);
    }
    return;
  }
  size_t slots = 64;
  while (slots < 2 * n) slots *= 2;
  code_map_.assign(slots, {~uint64_t{0}, -1});
  const size_t mask = slots - 1;
  for (size_t i = 0; i < n; ++i) {
    size_t at = Mix(0, code[i]) & mask;
    while (code_map_[at].first != code[i] && code_map_[at].second >= 0) at = (at + 1) & mask;
    if (code_map_[at].second < 0) {
      BuildKey(keys, row_of(i));
      code_map_[at] = {code[i], static_cast<int32_t>(FindOrAdd())};
    }
    out[i] = static_cast<uint32_t>(code_map_[at].second);
  }
}

void GroupByKernel::Update(size_t agg, std::span<const uint32_t> groups,
                           std::span<const uint32_t> rows, const AggInput& in) {
  const AggOp op = aggs_[agg].op;
  int64_t* counts = counts_[agg].data();
  const size_t n = groups.size();
  auto row_of = [&](size_t i) { return rows.empty() ? static_cast<uint32_t>(i) : rows[i]; };
  if (op == AggOp::kCountStar) {
    for (size_t i = 0; i < n; ++i) ++counts[groups[i]];
    return;
  }
  if (op == AggOp::kCount) {
    for (size_t i = 0; i < n; ++i) counts[groups[i]] += RowValid(in.valid, row_of(i)) ? 1 : 0;
    return;
  }
  if (NeedsText(op)) {
    std::string* texts = texts_[agg].data();
    const bool min = op == AggOp::kMinString;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t r = row_of(i);
      if (!RowValid(in.valid, r)) continue;
      std::string_view v;
      if (in.indices != nullptr) {
        if (in.indices[r] >= in.dictionary.size()) continue;
        v = in.dictionary[in.indices[r]];
      } else {
        v = in.strings[r];
      }
      const uint32_t g = groups[i];
      if (counts[g] == 0 || (min ? v < texts[g] : v > texts[g])) texts[g].assign(v);
      ++counts[g];
    }
    return;
  }
  // Integer values: a template per input width keeps the inner loops simple.
  auto run = [&](const auto* values) {
    if (NeedsSum(op)) {
      __int128* sums = sums_[agg].data();
      if (in.valid == nullptr && rows.empty()) {
        for (size_t i = 0; i < n; ++i) {
          sums[groups[i]] += values[i];
          ++counts[groups[i]];
        }
        return;
      }
      for (size_t i = 0; i < n; ++i) {
        const uint32_t r = row_of(i);
        if (!RowValid(in.valid, r)) continue;
        sums[groups[i]] += values[r];
        ++counts[groups[i]];
      }
      return;
    }
    int64_t* ext = extremes_[agg].data();
    const bool min = op == AggOp::kMin;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t r = row_of(i);
      if (!RowValid(in.valid, r)) continue;
      const int64_t v = values[r];
      const uint32_t g = groups[i];
      if (counts[g] == 0 || (min ? v < ext[g] : v > ext[g])) ext[g] = v;
      ++counts[g];
    }
  };
  if (in.int64s != nullptr) {
    run(in.int64s);
  } else {
    run(in.int32s);
  }
}

void GroupByKernel::Merge(const GroupByKernel& other) {
  const size_t width = kinds_.size();
  for (size_t og = 0; og < other.num_groups_; ++og) {
    for (size_t k = 0; k < width; ++k) {
      cand_ints_[k] = other.keys_[og * width + k];
      cand_texts_[k] =
          kinds_[k] == KeyKind::kString ? std::string_view(other.key_texts_[k][og]) : "";
    }
    cand_nulls_ = other.nulls_[og];
    cand_hash_ = other.hashes_[og];
    const uint32_t g = FindOrAdd();
    for (size_t a = 0; a < aggs_.size(); ++a) {
      const AggOp op = aggs_[a].op;
      const int64_t oc = other.counts_[a][og];
      if (NeedsSum(op)) sums_[a][g] += other.sums_[a][og];
      if (NeedsExtreme(op) && oc > 0) {
        const int64_t v = other.extremes_[a][og];
        if (counts_[a][g] == 0 || (op == AggOp::kMin ? v < extremes_[a][g] : v > extremes_[a][g]))
          extremes_[a][g] = v;
      }
      if (NeedsText(op) && oc > 0) {
        const std::string& v = other.texts_[a][og];
        if (counts_[a][g] == 0 || (op == AggOp::kMinString ? v < texts_[a][g] : v > texts_[a][g]))
          texts_[a][g] = v;
      }
      counts_[a][g] += oc;
    }
  }
}

bool GroupByKernel::KeyIsNull(uint32_t group, size_t key) const {
  return (nulls_[group] >> key) & 1;
}

int64_t GroupByKernel::KeyInt(uint32_t group, size_t key) const {
  return keys_[group * kinds_.size() + key];
}

std::string_view GroupByKernel::KeyText(uint32_t group, size_t key) const {
  if (KeyIsNull(group, key) || kinds_[key] != KeyKind::kString) return {};
  return key_texts_[key][group];
}

std::optional<int64_t> GroupByKernel::SumInt64(size_t agg, uint32_t group) const {
  const __int128 s = sums_[agg][group];
  if (s > std::numeric_limits<int64_t>::max() || s < std::numeric_limits<int64_t>::min()) {
    return std::nullopt;
  }
  return static_cast<int64_t>(s);
}

std::optional<__int128> GroupByKernel::AverageRounded(size_t agg, uint32_t group,
                                                      int extra_scale) const {
  const int64_t den = counts_[agg][group];
  if (den == 0) return std::nullopt;
  __int128 num = sums_[agg][group];
  for (int i = 0; i < extra_scale; ++i) num *= 10;
  __int128 q = num / den, r = num % den;
  if (2 * (r < 0 ? -r : r) >= den) q += num < 0 ? -1 : 1;
  return q;
}

std::vector<uint32_t> GroupByKernel::SortedGroups() const {
  std::vector<uint32_t> order(num_groups_);
  for (size_t g = 0; g < num_groups_; ++g) order[g] = static_cast<uint32_t>(g);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    for (size_t k = 0; k < kinds_.size(); ++k) {
      const bool na = KeyIsNull(a, k), nb = KeyIsNull(b, k);
      if (na != nb) return na;
      if (na) continue;
      if (kinds_[k] == KeyKind::kString) {
        const int c = KeyText(a, k).compare(KeyText(b, k));
        if (c != 0) return c < 0;
      } else if (KeyInt(a, k) != KeyInt(b, k)) {
        return KeyInt(a, k) < KeyInt(b, k);
      }
    }
    return false;
  });
  return order;
}

}  // namespace saleslake::table
