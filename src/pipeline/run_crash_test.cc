// Crash safety of `saleslake run` (extract of two files, then transform, under one lock) at 1, 2
// and 3 threads: a simulated kill -9 before every mutating storage operation, then the run again
// on the same lake; the lake ends with the committed files of a clean run at one thread, no
// transaction_id twice in main, and a log that reopens. The run reaches storage only through the
// lake handle it is given (a fault-injecting one here), as every command hands its lake down.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "io/fault_injecting_file_system.h"
#include "io/mem_file_system.h"
#include "io/test_temp_dir.h"
#include "lake/lake.h"
#include "pipeline/run.h"
#include "pipeline/sanitized_build.h"
#include "pipeline/transform_test_util.h"

namespace saleslake::pipeline {
namespace {

constexpr int64_t kNow = 1'795'000'000'000'000LL;

constexpr uint64_t kCrashStride = testing::kSanitizedBuild ? 5 : 1;

class RunCrashThreads : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    for (int i = 0; i < 2; ++i) {
      const std::string path = dir_.path() + "/batch" + std::to_string(i) + ".ndjson";
      std::ofstream(path) << testing::GenerateNdjson(250, 90 + i, kNow, 0.05, nullptr, 3);
      files_.push_back(path);
    }
  }

  Status RunOn(std::shared_ptr<io::FileSystem> fs, int threads) const {
    RunOptions options;
    options.lake = lake::Lake::OnFileSystem(std::move(fs));
    options.from = files_;
    options.extract.now_micros = kNow + 5'000'000;
    options.extract.threads = threads;
    options.transform.now_micros = kNow + 10'000'000;
    options.transform.threads = threads;
    return RunPipelineOnce(options).status();
  }

  io::TestTempDir dir_;
  std::vector<std::string> files_;
};

TEST_P(RunCrashThreads, CrashBeforeEveryMutatingStepThenRerunEqualsCleanRun) {
  const int threads = GetParam();
  std::shared_ptr<io::FileSystem> clean = io::MemFileSystem::Make();
  ASSERT_TRUE(RunOn(clean, 1).ok());
  const auto expected = testing::CommittedFiles(clean);
  const uint64_t rows = testing::CommittedRows(clean, "main/sales");
  ASSERT_GT(rows, 0u);
  // The steps of a run at this thread count (its writes may be cut into other appends).
  auto counting = std::make_shared<io::FaultInjectingFileSystem>(io::MemFileSystem::Make());
  ASSERT_TRUE(RunOn(counting, threads).ok());
  ASSERT_EQ(testing::CommittedFiles(counting->base()), expected);
  const uint64_t steps = counting->OperationCount(io::fault::kMutatingOps);
  ASSERT_GT(steps, 10u);

  // Every other step at one thread (every tenth under ASan: transform_crash_test crashes at
  // every step of the transform); at more, every eighth, from the (threads - 1)th on so that 2
  // and 3 threads crash at different points; and the last.
  std::vector<uint64_t> points;
  const uint64_t stride = threads == 1 ? 2 * kCrashStride : 8 * kCrashStride;
  for (uint64_t n = static_cast<uint64_t>(threads); n < steps; n += stride) points.push_back(n);
  points.push_back(steps);
  for (uint64_t n : points) {
    const std::string where = " (crash at step " + std::to_string(n) + " of " +
                              std::to_string(steps) + ", " + std::to_string(threads) + " threads)";
    std::shared_ptr<io::FileSystem> disk = io::MemFileSystem::Make();
    auto faulty = std::make_shared<io::FaultInjectingFileSystem>(disk);
    faulty->CrashAtOperation(n, io::fault::kMutatingOps);
    RunOn(faulty, threads).IgnoreError();  // the run record's write may be what crashed
    EXPECT_TRUE(faulty->crashed()) << "did not crash" << where;
    ASSERT_TRUE(RunOn(disk, threads).ok()) << "re-run" << where;
    ASSERT_EQ(testing::CommittedFiles(disk), expected) << where;
    EXPECT_EQ(testing::CommittedRows(disk, "main/sales"), rows) << where;
    std::set<std::string> ids;
    for (const auto& r : testing::ReadMainRows(disk)) {
      ASSERT_TRUE(ids.insert(r.id).second) << r.id << where;
    }
    auto reopened = lake::Ledger::Open(disk, /*recover=*/false);
    ASSERT_TRUE(reopened.ok()) << reopened.status().ToString() << where;
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, RunCrashThreads, ::testing::Values(1, 2, 3),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::to_string(info.param) + "Threads";
                         });

}  // namespace
}  // namespace saleslake::pipeline
