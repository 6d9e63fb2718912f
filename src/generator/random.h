// The generator's pseudo-random numbers: SplitMix64 to expand a seed, xoshiro256** for the stream,
// and Vose's alias method for weighted choices. Written for this project from the published
// algorithms (Vigna; Vose 1991); deterministic on every platform, no floating point in sampling.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace saleslake::generator {

// SplitMix64: turns any 64-bit seed (even 0) into well-mixed state words.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

// xoshiro256**: fast, 256 bits of state, passes BigCrush. One stream per Generate call.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    SplitMix64 mix(seed);
    for (uint64_t& word : s_) word = mix.Next();
  }

  // Starts from raw state words (for the published test vectors); REQUIRES: not all zero.
  static Rng FromState(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
    Rng rng(0);
    rng.s_[0] = s0;
    rng.s_[1] = s1;
    rng.s_[2] = s2;
    rng.s_[3] = s3;
    return rng;
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) by multiply-shift (Lemire). The bias is below n / 2^64: irrelevant here, and
  // unlike rejection it costs exactly one draw, which keeps streams aligned.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // True with probability numerator / 2^32.
  bool Chance(uint32_t numerator) { return (Next() >> 32) < numerator; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Weighted choice in O(1) per draw (Vose's alias method). Weights are non-negative integers so the
// tables, and therefore the output, are identical on every machine.
class AliasTable {
 public:
  AliasTable() = default;
  // REQUIRES: !weights.empty(), sum of weights > 0 and below 2^40.
  explicit AliasTable(std::span<const uint64_t> weights);

  uint32_t Sample(Rng& rng) const {
    const uint64_t x = rng.Next();
    const uint32_t column =
        static_cast<uint32_t>((static_cast<uint64_t>(static_cast<uint32_t>(x)) * size_) >> 32);
    return static_cast<uint32_t>(x >> 32) < threshold_[column] ? column : alias_[column];
  }
  uint32_t size() const { return size_; }

 private:
  uint32_t size_ = 0;
  std::vector<uint32_t> threshold_;  // keep `column` when the high 32 bits fall below this
  std::vector<uint32_t> alias_;
};

}  // namespace saleslake::generator
