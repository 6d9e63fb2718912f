#include "generator/random.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace saleslake::generator {
namespace {

TEST(SplitMix64Test, MatchesReferenceOutput) {
  // First outputs of the reference splitmix64.c started from 0.
  SplitMix64 mix(0);
  EXPECT_EQ(mix.Next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(mix.Next(), 0x6e789e6aa1b965f4ULL);
}

TEST(RngTest, MatchesXoshiro256StarStarReference) {
  // The reference xoshiro256** from state {1, 2, 3, 4}.
  Rng rng = Rng::FromState(1, 2, 3, 4);
  EXPECT_EQ(rng.Next(), 11520u);
  EXPECT_EQ(rng.Next(), 0u);
  EXPECT_EQ(rng.Next(), 1509978240u);
  EXPECT_EQ(rng.Next(), 1215971899390074240u);
}

TEST(RngTest, SameSeedSameStreamOtherSeedOtherStream) {
  Rng a(7), b(7), c(8);
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    EXPECT_NE(x, c.Next());
  }
}

TEST(RngTest, BelowAndBetweenStayInRange) {
  Rng rng(1);
  std::array<int, 6> seen{};
  for (int i = 0; i < 60'000; ++i) {
    const uint64_t v = rng.Below(6);
    ASSERT_LT(v, 6u);
    ++seen[v];
    const int64_t w = rng.Between(-3, 3);
    ASSERT_GE(w, -3);
    ASSERT_LE(w, 3);
  }
  for (int count : seen) EXPECT_NEAR(count, 10'000, 500);
}

TEST(AliasTableTest, FollowsTheWeights) {
  const std::vector<uint64_t> weights = {1, 0, 3, 6};
  AliasTable table(weights);
  ASSERT_EQ(table.size(), 4u);
  Rng rng(3);
  std::array<int, 4> seen{};
  constexpr int kDraws = 200'000;
  for (int i = 0; i < kDraws; ++i) ++seen[table.Sample(rng)];
  EXPECT_EQ(seen[1], 0) << "a zero weight is never drawn";
  EXPECT_NEAR(seen[0], kDraws * 0.1, kDraws * 0.01);
  EXPECT_NEAR(seen[2], kDraws * 0.3, kDraws * 0.01);
  EXPECT_NEAR(seen[3], kDraws * 0.6, kDraws * 0.01);
}

TEST(AliasTableTest, SingleWeightAlwaysDrawn) {
  const std::vector<uint64_t> weights = {5};
  AliasTable table(weights);
  Rng rng(9);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(table.Sample(rng), 0u);
}

}  // namespace
}  // namespace saleslake::generator
