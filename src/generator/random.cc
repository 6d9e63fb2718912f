#include "generator/random.h"

namespace saleslake::generator {

AliasTable::AliasTable(std::span<const uint64_t> weights)
    : size_(static_cast<uint32_t>(weights.size())),
      threshold_(weights.size(), 0),
      alias_(weights.size(), 0) {
  uint64_t total = 0;
  for (uint64_t w : weights) total += w;
  if (size_ == 0 || total == 0) return;
  // Scaled weights: each column holds probability mass `total`, so a weight w becomes w * n and
  // columns are filled exactly in integers.
  const uint64_t n = size_;
  std::vector<uint64_t> scaled(n);
  std::vector<uint32_t> small, large;
  for (uint32_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * n;
    alias_[i] = i;
    (scaled[i] < total ? small : large).push_back(i);
  }
  auto to_threshold = [&](uint64_t mass) -> uint32_t {
    // Share of the column kept, as a fraction of 2^32; a full column keeps everything.
    if (mass >= total) return UINT32_MAX;
    return static_cast<uint32_t>((static_cast<unsigned __int128>(mass) << 32) / total);
  };
  while (!small.empty() && !large.empty()) {
    uint32_t s = small.back();
    small.pop_back();
    uint32_t l = large.back();
    threshold_[s] = to_threshold(scaled[s]);
    alias_[s] = l;
    scaled[l] -= total - scaled[s];
    if (scaled[l] < total) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (uint32_t i : large) threshold_[i] = UINT32_MAX;
  for (uint32_t i : small) threshold_[i] = UINT32_MAX;  // rounding leftovers: keep the column
}

}  // namespace saleslake::generator
