// Crash safety of transform and compaction, at 1, 2 and 3 threads (a simulated kill -9 before every
// mutating storage operation, then a re-run: the lake ends byte-identical to a clean run at one
// thread), compaction (same rows, fewer files) and quarantine replay (fixed reference catalog:
// rows move to main exactly once).
#include <gtest/gtest.h>

#include <set>

#include "generator/catalog.h"
#include "io/fault_injecting_file_system.h"
#include "io/mem_file_system.h"
#include "lake/lake_lock.h"
#include "pipeline/compact.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/quarantine.h"
#include "pipeline/sanitized_build.h"
#include "pipeline/transform.h"
#include "pipeline/transform_test_util.h"

namespace saleslake::pipeline {
namespace {

using testing::CommittedFiles;
using testing::CommittedRows;
using testing::GenerateNdjson;
using testing::LandRawBatch;
using testing::ReadMainRows;

constexpr int64_t kNow = 1'795'000'000'000'000LL;

// Every crash point in a normal build; under AddressSanitizer (~10x slower) every
// fifth one plus the last, so that the sanitized run stays within CI's time.
constexpr uint64_t kCrashStride = testing::kSanitizedBuild ? 5 : 1;

TransformOptions Options(int threads = 1) {
  TransformOptions options;
  options.now_micros = kNow + 10'000'000;
  options.threads = threads;
  return options;
}

Status TransformOn(std::shared_ptr<io::FileSystem> fs, int threads = 1) {
  SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "test transform"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, true));
  return RunTransform(fs, ledger.get(), Options(threads)).status();
}

Status CompactOn(std::shared_ptr<io::FileSystem> fs, int threads) {
  SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "test compact"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, true));
  CompactOptions options;
  options.threads = threads;
  return RunCompact(fs, ledger.get(), options).status();
}

// No transaction_id twice in main, and the lake's log reopens as a reader.
void ExpectWholeLake(const std::shared_ptr<io::FileSystem>& fs, const std::string& where) {
  std::set<std::string> ids;
  for (const auto& r : ReadMainRows(fs)) ASSERT_TRUE(ids.insert(r.id).second) << r.id << where;
  auto reopened = lake::Ledger::Open(fs, /*recover=*/false);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString() << where;
}

// The crash points of a run of `steps` mutating operations at `threads` threads: at one thread
// every one (every fifth under ASan); at more, every fourth of those, starting at the
// (threads - 1)th, so that 2 and 3 threads crash at different points; and the last.
std::vector<uint64_t> CrashPoints(uint64_t steps, int threads) {
  const uint64_t stride = threads == 1 ? kCrashStride : 4 * kCrashStride;
  std::vector<uint64_t> out;
  for (uint64_t n = static_cast<uint64_t>(threads); n < steps; n += stride) out.push_back(n);
  out.push_back(steps);
  return out;
}

// Two raw batches over three days, already committed, on a fresh mem lake; plus a first
// transform of the first batch so that the crashing run also rewrites and replaces files.
std::shared_ptr<io::FileSystem> PreparedLake(const std::string& b1, const std::string& b2) {
  auto fs = io::MemFileSystem::Make();
  LandRawBatch(fs, b1, "batch0001", kNow);
  EXPECT_TRUE(TransformOn(fs).ok());
  LandRawBatch(fs, b2, "batch0002", kNow + 1);
  return fs;
}

// The thread count of the crashing run and of the run after it.
class TransformCrashThreads : public ::testing::TestWithParam<int> {};

// With several threads the nth operation is a different one from run to run (the threads race),
// and the crash stops every thread's next operation: whichever it was, the re-run ends with the
// files of a clean run at one thread.
TEST_P(TransformCrashThreads, CrashBeforeEveryMutatingStepThenRerunEqualsCleanRun) {
  const int threads = GetParam();
  const std::string b1 = GenerateNdjson(300, 41, kNow, 0.05, nullptr, 3);
  const std::string b2 = GenerateNdjson(300, 42, kNow, 0.05, nullptr, 3) +
                         b1.substr(0, b1.find('\n') + 1);  // an identical copy across runs

  auto clean = PreparedLake(b1, b2);
  ASSERT_TRUE(TransformOn(clean).ok());
  const auto expected = CommittedFiles(clean);
  // The steps of a run at this thread count (its writes may be cut into other appends).
  auto counting = std::make_shared<io::FaultInjectingFileSystem>(PreparedLake(b1, b2));
  ASSERT_TRUE(TransformOn(counting, threads).ok());
  ASSERT_EQ(CommittedFiles(counting->base()), expected);
  const uint64_t steps = counting->OperationCount(io::fault::kMutatingOps);
  ASSERT_GT(steps, 10u);

  for (uint64_t n : CrashPoints(steps, threads)) {
    const std::string where = " (crash at step " + std::to_string(n) + " of " +
                              std::to_string(steps) + ", " + std::to_string(threads) + " threads)";
    auto disk = PreparedLake(b1, b2);
    auto faulty = std::make_shared<io::FaultInjectingFileSystem>(disk);
    faulty->CrashAtOperation(n, io::fault::kMutatingOps);
    EXPECT_FALSE(TransformOn(faulty, threads).ok()) << "did not crash" << where;
    ASSERT_TRUE(TransformOn(disk, threads).ok()) << "re-run" << where;
    ASSERT_EQ(CommittedFiles(disk), expected) << where;
    ExpectWholeLake(disk, where);
  }
}

// Compaction of a lake of small files, crashed before every mutating step at 1, 2 and 3 threads
// and run again: the files of a clean compaction at one thread, every row once.
TEST_P(TransformCrashThreads, CompactCrashedBeforeEveryMutatingStepThenRerunEqualsCleanRun) {
  const int threads = GetParam();
  auto small_files = [] {
    auto fs = io::MemFileSystem::Make();
    for (int i = 0; i < 3; ++i) {
      LandRawBatch(fs, GenerateNdjson(200, 70 + i, kNow, 0.0, nullptr, 3),
                   "batch000" + std::to_string(i), kNow + i);
      EXPECT_TRUE(TransformOn(fs).ok());
    }
    return fs;
  };
  auto clean = small_files();
  const uint64_t rows = CommittedRows(clean, kMainSalesTable);
  ASSERT_TRUE(CompactOn(clean, 1).ok());
  const auto expected = CommittedFiles(clean);
  auto counting = std::make_shared<io::FaultInjectingFileSystem>(small_files());
  ASSERT_TRUE(CompactOn(counting, threads).ok());
  ASSERT_EQ(CommittedFiles(counting->base()), expected);
  const uint64_t steps = counting->OperationCount(io::fault::kMutatingOps);
  ASSERT_GT(steps, 3u);

  for (uint64_t n : CrashPoints(steps, threads)) {
    const std::string where = " (compact crashed at step " + std::to_string(n) + " of " +
                              std::to_string(steps) + ", " + std::to_string(threads) + " threads)";
    auto disk = small_files();
    auto faulty = std::make_shared<io::FaultInjectingFileSystem>(disk);
    faulty->CrashAtOperation(n, io::fault::kMutatingOps);
    EXPECT_FALSE(CompactOn(faulty, threads).ok()) << "did not crash" << where;
    ASSERT_TRUE(CompactOn(disk, threads).ok()) << "re-run" << where;
    ASSERT_EQ(CommittedFiles(disk), expected) << where;
    EXPECT_EQ(CommittedRows(disk, kMainSalesTable), rows) << where;
    ExpectWholeLake(disk, where);
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, TransformCrashThreads, ::testing::Values(1, 2, 3),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::to_string(info.param) + "Threads";
                         });

TEST(Compact, MergesSmallFilesKeepingEveryRow) {
  auto fs = io::MemFileSystem::Make();
  for (int i = 0; i < 3; ++i) {
    LandRawBatch(fs, GenerateNdjson(800, 50 + i, kNow, 0.0, nullptr, 2),
                 "batch000" + std::to_string(i), kNow + i);
    ASSERT_TRUE(TransformOn(fs).ok());
  }
  auto before = ReadMainRows(fs);
  auto files_before = CommittedFiles(fs);
  auto lock = lake::LakeLock::Acquire(fs, "test compact");
  ASSERT_TRUE(lock.ok());
  auto ledger = lake::Ledger::Open(fs, true);
  ASSERT_TRUE(ledger.ok());
  const size_t main_files = (*ledger)->state().FilesOf(kMainSalesTable).size();
  auto result = RunCompact(fs, ledger->get(), CompactOptions());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_TRUE(result->committed);
  auto after_ledger = lake::Ledger::Open(fs, false);
  ASSERT_TRUE(after_ledger.ok());
  std::map<std::string, int> per_partition;
  for (const auto& f : (*after_ledger)->state().FilesOf(kMainSalesTable))
    ++per_partition[f.partition];
  for (const auto& [p, n] : per_partition) EXPECT_EQ(n, 1) << p;
  EXPECT_LT(per_partition.size(), main_files);
  auto after = ReadMainRows(fs);
  auto key = [](const testing::MainRow& r) { return r.partition + "|" + r.content; };
  std::multiset<std::string> a, b;
  for (const auto& r : before) a.insert(key(r));
  for (const auto& r : after) b.insert(key(r));
  EXPECT_EQ(a, b);
  // The replaced files are gone from storage, not just from the ledger.
  for (const auto& [path, bytes] : files_before) {
    if (path.rfind("main/sales/", 0) != 0) continue;
    auto info = fs->GetFileInfo(path);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->type, io::FileType::kNotFound) << path;
  }
  // A second compaction has nothing to do.
  auto again = RunCompact(fs, ledger->get(), CompactOptions());
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->committed);
}

TEST(QuarantineReplay, FixedCatalogMovesRowsExactlyOnce) {
  // The catalog given to the first transform lacks one store: its sales are quarantined.
  auto full = generator::BuiltinCatalog();
  std::vector<table::Store> stores(full->stores().begin() + 1, full->stores().end());
  auto partial = table::ReferenceCatalog::Create(full->products(), stores);
  ASSERT_TRUE(partial.ok());
  const std::string missing_store = full->stores().front().store_id;

  auto fs = io::MemFileSystem::Make();
  LandRawBatch(fs, GenerateNdjson(3000, 61, kNow, 0.0), "batch0001", kNow);
  TransformOptions options = Options();
  options.reference = &*partial;
  {
    auto lock = lake::LakeLock::Acquire(fs, "t");
    auto ledger = lake::Ledger::Open(fs, true);
    auto r = RunTransform(fs, ledger->get(), options);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_GT(r->quarantine_by_reason["unknown_store"], 0u);
  }
  const uint64_t main_before = CommittedRows(fs, kMainSalesTable);
  const uint64_t quarantined = CommittedRows(fs, kQuarantineSalesTable);

  auto lock = lake::LakeLock::Acquire(fs, "t");
  auto ledger = lake::Ledger::Open(fs, true);
  ASSERT_TRUE(ledger.ok());
  auto listed = ListQuarantine(*fs, (*ledger)->state(), "unknown_store", 0);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), quarantined);

  ReplayOptions replay;
  replay.reason = "unknown_store";
  replay.reference = full.get();
  replay.now_micros = kNow + 10'000'000;
  auto moved = RunReplay(fs, ledger->get(), replay);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_TRUE(moved->committed);
  EXPECT_EQ(moved->moved_to_main, quarantined);
  EXPECT_EQ(moved->moved_by_batch["batch0001"], quarantined);
  EXPECT_EQ(CommittedRows(fs, kMainSalesTable), main_before + quarantined);
  EXPECT_EQ(CommittedRows(fs, kQuarantineSalesTable), 0u);

  // Again: nothing left to move, nothing added twice.
  auto again = RunReplay(fs, ledger->get(), replay);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->committed);
  EXPECT_EQ(CommittedRows(fs, kMainSalesTable), main_before + quarantined);
  std::set<std::string> ids;
  for (const auto& r : ReadMainRows(fs)) EXPECT_TRUE(ids.insert(r.id).second) << r.id;
}

}  // namespace
}  // namespace saleslake::pipeline
