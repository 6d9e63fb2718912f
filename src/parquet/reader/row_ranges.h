// RowRanges: a sorted set of disjoint row intervals [begin, end) within one row group, the result
// of page pruning and the selection a read is limited to.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace saleslake::parquet {

struct RowRange {
  int64_t begin = 0;
  int64_t end = 0;  // exclusive
};

class RowRanges {
 public:
  RowRanges() = default;
  static RowRanges All(int64_t rows);

  // Adds [begin, end). REQUIRES: begin >= the end of every range added before (merges when
  // adjacent or overlapping the last one).
  void Add(int64_t begin, int64_t end);

  RowRanges Intersect(const RowRanges& other) const;
  bool Overlaps(int64_t begin, int64_t end) const;

  const std::vector<RowRange>& ranges() const { return ranges_; }
  bool empty() const { return ranges_.empty(); }
  int64_t row_count() const;
  std::string ToString() const;  // "[0,100) [200,300)"

 private:
  std::vector<RowRange> ranges_;
};

}  // namespace saleslake::parquet
