#include "base/parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace saleslake {
namespace {

TEST(ParallelForTest, RunsEveryTaskOnceEachRound) {
  for (int threads : {1, 2, 4}) {
    ParallelFor pool(threads);
    for (size_t n : {0u, 1u, 2u, 21u, 100u}) {
      for (int round = 0; round < 50; ++round) {
        std::vector<std::atomic<int>> runs(n);
        pool.Run(n, [&](size_t i) { runs[i].fetch_add(1); });
        for (size_t i = 0; i < n; ++i) ASSERT_EQ(runs[i].load(), 1) << threads << " " << n;
      }
    }
  }
}

TEST(ParallelForTest, ReturnsOnlyWhenEveryTaskHasFinished) {
  ParallelFor pool(3);
  std::atomic<int> finished{0};
  pool.Run(8, [&](size_t i) {
    if (i % 2 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    finished.fetch_add(1);
  });
  EXPECT_EQ(finished.load(), 8);
}

}  // namespace
}  // namespace saleslake
