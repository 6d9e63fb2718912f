#include "parquet/reader/row_ranges.h"

#include <algorithm>

namespace saleslake::parquet {

RowRanges RowRanges::All(int64_t rows) {
  RowRanges r;
  r.Add(0, rows);
  return r;
}

void RowRanges::Add(int64_t begin, int64_t end) {
  if (end <= begin) return;
  if (!ranges_.empty() && begin <= ranges_.back().end) {
    ranges_.back().end = std::max(ranges_.back().end, end);
    return;
  }
  ranges_.push_back({begin, end});
}

RowRanges RowRanges::Intersect(const RowRanges& other) const {
  RowRanges out;
  size_t i = 0, j = 0;
  while (i < ranges_.size() && j < other.ranges_.size()) {
    const RowRange& a = ranges_[i];
    const RowRange& b = other.ranges_[j];
    out.Add(std::max(a.begin, b.begin), std::min(a.end, b.end));
    if (a.end < b.end) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

bool RowRanges::Overlaps(int64_t begin, int64_t end) const {
  // First range whose end is after `begin`.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), begin,
                             [](int64_t v, const RowRange& r) { return v < r.end; });
  return it != ranges_.end() && it->begin < end;
}

int64_t RowRanges::row_count() const {
  int64_t n = 0;
  for (const RowRange& r : ranges_) n += r.end - r.begin;
  return n;
}

std::string RowRanges::ToString() const {
  std::string s;
  for (const RowRange& r : ranges_) {
    if (!s.empty()) s += ' ';
    s += "[" + std::to_string(r.begin) + "," + std::to_string(r.end) + ")";
  }
  return s;
}

}  // namespace saleslake::parquet
