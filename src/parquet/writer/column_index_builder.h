// Builds a column chunk's ColumnIndex (PageIndex.md) page by page: whether each page is all
// nulls, its min/max (byte arrays truncated to a bounded prefix), its null count, and at the end
// the boundary order that lets readers binary-search the pages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "parquet/metadata.h"
#include "parquet/writer/statistics_builder.h"

namespace saleslake::parquet {

template <typename T>
class ColumnIndexBuilder {
 public:
  ColumnIndexBuilder(ValueOrder<T> order, size_t byte_array_limit)
      : order_(order), limit_(byte_array_limit) {}

  // One data page. `minmax` may be empty only for pages without values (all nulls).
  void AddPage(const MinMax<T>& minmax, int64_t num_values, int64_t num_nulls) {
    const bool all_null = num_nulls == num_values;
    index_.null_pages.push_back(all_null);
    index_.null_counts->push_back(num_nulls);
    if (all_null || !minmax.has_value()) {
      // A page of NaNs has values but no order-able min/max: such a chunk gets no index.
      if (!all_null) valid_ = false;
      index_.min_values.emplace_back();
      index_.max_values.emplace_back();
      return;
    }
    if constexpr (std::is_same_v<T, std::string_view>) {
      std::string min = TruncateMin(minmax.min(), limit_);
      std::optional<std::string> max = TruncateMax(minmax.max(), limit_);
      if (!max) {
        valid_ = false;
        max.emplace();
      }
      Track(min, *max);
      index_.min_values.push_back(std::move(min));
      index_.max_values.push_back(std::move(*max));
    } else {
      Track(minmax.min(), minmax.max());
      index_.min_values.push_back(EncodeStatistic<T>(minmax.min(), true));
      index_.max_values.push_back(EncodeStatistic<T>(minmax.max(), false));
    }
  }

  // The finished index, or nullopt when one page could not be described.
  std::optional<ColumnIndex> Finish() {
    if (!valid_ || index_.null_pages.empty()) return std::nullopt;
    index_.boundary_order = ascending_    ? BoundaryOrder::kAscending
                            : descending_ ? BoundaryOrder::kDescending
                                          : BoundaryOrder::kUnordered;
    return std::move(index_);
  }

  void Reset() {
    index_ = ColumnIndex{};
    index_.null_counts.emplace();
    valid_ = true;
    ascending_ = descending_ = true;
    has_previous_ = false;
  }

 private:
  void Track(T min, T max) {
    if (has_previous_) {
      const T prev_min = T(prev_min_);
      const T prev_max = T(prev_max_);
      if (order_.Less(min, prev_min) || order_.Less(max, prev_max)) ascending_ = false;
      if (order_.Less(prev_min, min) || order_.Less(prev_max, max)) descending_ = false;
    }
    prev_min_ = StoredValue<T>(min);
    prev_max_ = StoredValue<T>(max);
    has_previous_ = true;
  }

  ValueOrder<T> order_;
  size_t limit_;
  ColumnIndex index_ = [] {
    ColumnIndex c;
    c.null_counts.emplace();
    return c;
  }();
  bool valid_ = true;
  bool ascending_ = true;
  bool descending_ = true;
  bool has_previous_ = false;
  StoredValue<T> prev_min_{};
  StoredValue<T> prev_max_{};
};

}  // namespace saleslake::parquet
