#include "base/ordered_pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace saleslake {
namespace {

// Squares 0..n-1 through the pipeline and returns what consume saw, in its order.
Result<std::vector<int>> Squares(int threads, size_t slots, int n, int fail_at = -1) {
  std::vector<int> items(slots);
  std::vector<int> out;
  OrderedPipeline p(
      threads, slots,
      [&](size_t slot, int worker) {
        EXPECT_GE(worker, 0);
        EXPECT_LT(worker, threads);
        if (items[slot] == fail_at) return Status::InvalidArgument("bad item");
        items[slot] = items[slot] * items[slot];
        return Status::OK();
      },
      [&](size_t slot) {
        out.push_back(items[slot]);
        return Status::OK();
      });
  for (int i = 0; i < n; ++i) {
    Result<size_t> slot = p.Acquire();
    if (!slot.ok()) return slot.status();
    items[*slot] = i;
    p.Submit(*slot);
  }
  SL_RETURN_IF_ERROR(p.Finish());
  return out;
}

TEST(OrderedPipelineTest, ConsumesInSubmissionOrderOnAnyThreadCount) {
  for (int threads : {1, 2, 4}) {
    for (size_t slots : {1u, 3u, 8u}) {
      Result<std::vector<int>> out = Squares(threads, slots, 500);
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      ASSERT_EQ(out->size(), 500u);
      for (int i = 0; i < 500; ++i) EXPECT_EQ((*out)[static_cast<size_t>(i)], i * i);
    }
  }
}

TEST(OrderedPipelineTest, NothingSubmittedIsFine) {
  Result<std::vector<int>> out = Squares(3, 4, 0);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->empty());
}

TEST(OrderedPipelineTest, FirstErrorStopsIt) {
  for (int threads : {1, 3}) {
    Result<std::vector<int>> out = Squares(threads, 4, 200, 17);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().message(), "bad item");
  }
}

TEST(OrderedPipelineTest, HardwareThreadsIsPositive) { EXPECT_GE(HardwareThreads(), 1); }

}  // namespace
}  // namespace saleslake
