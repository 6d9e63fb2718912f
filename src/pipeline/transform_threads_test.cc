// The lake written with one thread and with several is byte-identical: the same file names and
// bytes under main/ and quarantine/ (and every other committed file), and the same commit log
// entries apart from their times. Covers transform (raw batches of several row groups, dirty
// records, duplicates within and across batches), a second incremental transform (dedupe
// against main, rewritten daily partitions, tiered compaction) and an explicit compaction.
#include <gtest/gtest.h>

#include <regex>

#include "generator/catalog.h"
#include "io/mem_file_system.h"
#include "lake/lake_lock.h"
#include "lake/layout.h"
#include "pipeline/compact.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform.h"
#include "pipeline/transform_test_util.h"

namespace saleslake::pipeline {
namespace {

using testing::CommittedFiles;
using testing::GenerateNdjson;
using testing::LandRawBatch;

constexpr int64_t kNow = 1'795'000'000'000'000LL;
constexpr int64_t kHour = 3'600'000'000LL;

Result<TransformResult> Transform(std::shared_ptr<io::FileSystem> fs, int threads,
                                  size_t landing_budget, const table::ReferenceCatalog* reference) {
  SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "test transform"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, true));
  TransformOptions options;
  options.now_micros = kNow + 10 * kHour;
  options.business_utc_offset_seconds = 19'800;  // +05:30
  options.threads = threads;
  // Small enough that pass 1 spills to its temporary file several times.
  options.spill_budget_bytes = 2 << 20;
  options.landing_budget_bytes = landing_budget;
  options.reference = reference;
  return RunTransform(fs, ledger.get(), options);
}

Result<CompactResult> Compact(std::shared_ptr<io::FileSystem> fs, int threads) {
  SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "test compact"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, true));
  CompactOptions options;
  options.threads = threads;
  return RunCompact(fs, ledger.get(), options);
}

// Every file of the lake (data files and the commit log), path -> bytes, with the commit
// records' times masked.
std::map<std::string, std::string> LakeFiles(std::shared_ptr<io::FileSystem> fs) {
  std::map<std::string, std::string> out = CommittedFiles(fs);
  auto log = fs->List(lake::kLedgerDir);
  EXPECT_TRUE(log.ok());
  static const std::regex kTime("\"(committed_at|started_at|finished_at)[a-z_]*\":[0-9]+");
  for (const io::FileInfo& f : *log) {
    auto bytes = fs->ReadFile(f.path);
    EXPECT_TRUE(bytes.ok()) << f.path;
    if (bytes.ok()) out[f.path] = std::regex_replace(*bytes, kTime, "\"$1\":0");
  }
  return out;
}

// A lake built the same way each time, with `threads` threads for every transform and compaction.
std::map<std::string, std::string> BuildLake(int threads, std::vector<TransformResult>* results,
                                             size_t landing_budget = 160 << 20,
                                             const table::ReferenceCatalog* reference = nullptr) {
  auto fs = io::MemFileSystem::Make();
  // 70k records: two raw row groups; dirty records of every kind, duplicates within the batch.
  LandRawBatch(fs, GenerateNdjson(70'000, 1, kNow, 0.03, nullptr, 20), "batch-a", kNow);
  LandRawBatch(fs, GenerateNdjson(9'000, 2, kNow, 0.03, nullptr, 20), "batch-b", kNow + kHour);
  // The same records again: exact duplicates across batches.
  LandRawBatch(fs, GenerateNdjson(9'000, 2, kNow, 0.03, nullptr, 20), "batch-c", kNow + kHour);
  auto first = Transform(fs, threads, landing_budget, reference);
  EXPECT_TRUE(first.ok()) << first.status().ToString();
  if (first.ok()) results->push_back(*first);
  // A second run over days main already holds: dedupe against main, rewritten daily partitions.
  for (int i = 0; i < 4; ++i) {
    LandRawBatch(fs, GenerateNdjson(3'000, 10 + i % 2, kNow, 0.03, nullptr, 20),
                 "batch-d" + std::to_string(i), kNow + 2 * kHour);
    auto next = Transform(fs, threads, landing_budget, reference);
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (next.ok()) results->push_back(*next);
  }
  auto compacted = Compact(fs, threads);
  EXPECT_TRUE(compacted.ok()) << compacted.status().ToString();
  if (compacted.ok()) {
    EXPECT_GT(compacted->partitions, 1u);
  }
  return LakeFiles(fs);
}

TEST(TransformThreads, LakeIsByteIdenticalForAnyNumberOfThreads) {
  std::vector<TransformResult> one_results;
  const std::map<std::string, std::string> one = BuildLake(1, &one_results);
  ASSERT_FALSE(one_results.empty());
  // The lake is not trivial: it has main, quarantine, conflicts, dropped duplicates, merges.
  EXPECT_GT(one_results[0].rows_main, 60'000u);
  EXPECT_GT(one_results[0].rows_quarantined, 0u);
  EXPECT_GT(one_results[0].dropped_duplicates, 8'000u);
  EXPECT_GT(one_results[0].spilled_bytes, 0u);
  size_t main_files = 0, quarantine_files = 0;
  for (const auto& [path, bytes] : one) {
    main_files += path.rfind("main/sales/", 0) == 0;
    quarantine_files += path.rfind("quarantine/sales/", 0) == 0;
  }
  EXPECT_GT(main_files, 20u);
  EXPECT_GT(quarantine_files, 3u);

  for (int threads : {2, 3}) {
    std::vector<TransformResult> results;
    const std::map<std::string, std::string> many = BuildLake(threads, &results);
    ASSERT_EQ(results.size(), one_results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      EXPECT_EQ(results[i].ToJson(), one_results[i].ToJson()) << "run " << i;
    }
    ASSERT_EQ(many.size(), one.size()) << threads << " threads";
    for (const auto& [path, bytes] : one) {
      auto it = many.find(path);
      ASSERT_NE(it, many.end()) << path << " is missing with " << threads << " threads";
      EXPECT_TRUE(it->second == bytes) << path << " differs with " << threads << " threads";
    }
  }
}

// A day larger than the landing budget is split by transaction_id into parts, each deduplicated
// and sorted on its own through a temporary file, and merged: the lake is the same, byte for
// byte, as when every day is sorted in memory (dedupe within the run and against main, conflicts,
// the rollups), with one thread or several.
TEST(TransformThreads, DaysSortedInPartsGiveTheSameLake) {
  std::vector<TransformResult> whole_results;
  const std::map<std::string, std::string> whole = BuildLake(1, &whole_results);
  ASSERT_FALSE(whole_results.empty());
  EXPECT_EQ(whole_results[0].days_in_parts, 0u);
  for (int threads : {1, 2}) {
    std::vector<TransformResult> results;
    // About 1 MiB of sales a day against 64 KiB: dozens of parts per day.
    const std::map<std::string, std::string> parts = BuildLake(threads, &results, 64 << 10);
    ASSERT_EQ(results.size(), whole_results.size());
    EXPECT_GT(results[0].days_in_parts, 10u);
    EXPECT_GT(results[1].days_in_parts, 0u);  // incremental: dedupe against main in parts
    for (size_t i = 0; i < results.size(); ++i) {
      EXPECT_EQ(results[i].ToJson(), whole_results[i].ToJson()) << "run " << i;
    }
    ASSERT_EQ(parts.size(), whole.size()) << threads << " threads";
    for (const auto& [path, bytes] : whole) {
      auto it = parts.find(path);
      ASSERT_NE(it, parts.end()) << path << " is missing when days land in parts";
      EXPECT_TRUE(it->second == bytes) << path << " differs when days land in parts";
    }
  }
}

// With a reference catalog, clean sales hold their store and product as catalog indices between
// the passes (in memory, in the spill and in the parts of a day): the lake is the same, byte for
// byte, at one thread with whole days as at two threads with days in parts (each way alone is
// proved without a catalog above; together they cost one lake build here instead of three).
TEST(TransformThreads, WithAReferenceCatalogTheLakeIsTheSameEveryWay) {
  auto catalog = generator::BuiltinCatalog();
  std::vector<TransformResult> whole_results;
  const std::map<std::string, std::string> whole =
      BuildLake(1, &whole_results, 160 << 20, catalog.get());
  ASSERT_FALSE(whole_results.empty());
  EXPECT_GT(whole_results[0].rows_main, 60'000u);
  EXPECT_GT(whole_results[0].spilled_bytes, 0u);
  EXPECT_GT(whole_results[0].quarantine_by_reason["unknown_product"], 0u);
  // Two threads, days in 64 KiB parts.
  std::vector<TransformResult> results;
  const std::map<std::string, std::string> other =
      BuildLake(2, &results, size_t{64} << 10, catalog.get());
  ASSERT_EQ(results.size(), whole_results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].ToJson(), whole_results[i].ToJson()) << "run " << i;
  }
  ASSERT_EQ(other.size(), whole.size());
  for (const auto& [path, bytes] : whole) {
    auto it = other.find(path);
    ASSERT_NE(it, other.end()) << path << " is missing";
    EXPECT_TRUE(it->second == bytes) << path << " differs at 2 threads in parts";
  }
}

}  // namespace
}  // namespace saleslake::pipeline
