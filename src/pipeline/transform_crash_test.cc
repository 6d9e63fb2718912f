// Crash safety of transform (a simulated kill -9 before every mutating storage operation, then a
// re-run: the lake ends byte-identical to a clean run), compaction (same rows, fewer files) and
// quarantine replay (fixed reference catalog: rows move to main exactly once).
#include <gtest/gtest.h>

#include <set>

#include "generator/catalog.h"
#include "io/fault_injecting_file_system.h"
#include "io/mem_file_system.h"
#include "lake/lake_lock.h"
#include "pipeline/compact.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/quarantine.h"
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

// Every crash point in a normal build; under AddressSanitizer (a Debug build, ~10x slower) every
// fifth one plus the last, so that the sanitized run stays within CI's time.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kCrashStride = 5;
#else
constexpr uint64_t kCrashStride = 1;
#endif

TransformOptions Options() {
  TransformOptions options;
  options.now_micros = kNow + 10'000'000;
  return options;
}

Status TransformOn(std::shared_ptr<io::FileSystem> fs) {
  SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "test transform"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, true));
  return RunTransform(fs, ledger.get(), Options()).status();
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

TEST(TransformCrash, CrashBeforeEveryMutatingStepThenRerunEqualsCleanRun) {
  const std::string b1 = GenerateNdjson(300, 41, kNow, 0.05, nullptr, 3);
  const std::string b2 = GenerateNdjson(300, 42, kNow, 0.05, nullptr, 3) +
                         b1.substr(0, b1.find('\n') + 1);  // an identical copy across runs

  auto clean = PreparedLake(b1, b2);
  auto counting = std::make_shared<io::FaultInjectingFileSystem>(clean);
  ASSERT_TRUE(TransformOn(counting).ok());
  const auto expected = CommittedFiles(clean);
  const uint64_t steps = counting->OperationCount(io::fault::kMutatingOps);
  ASSERT_GT(steps, 10u);

  for (uint64_t n = 1; n <= steps;
       n = (n + kCrashStride > steps && n < steps) ? steps : n + kCrashStride) {
    auto disk = PreparedLake(b1, b2);
    auto faulty = std::make_shared<io::FaultInjectingFileSystem>(disk);
    faulty->CrashAtOperation(n, io::fault::kMutatingOps);
    EXPECT_FALSE(TransformOn(faulty).ok()) << "step " << n << " did not crash";
    ASSERT_TRUE(TransformOn(disk).ok()) << "re-run after a crash at step " << n;
    ASSERT_EQ(CommittedFiles(disk), expected) << "crash at step " << n;
    std::set<std::string> ids;
    for (const auto& r : ReadMainRows(disk)) ASSERT_TRUE(ids.insert(r.id).second) << r.id;
  }
}

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
