// A full disk (ENOSPC) during transform and compact, at 1, 2 and 3 threads: the failing run removes
// what it staged, so a retry after freeing space succeeds instead of failing the same way; the
// error says how to free space; and vacuum removes a failed run's pending files at once, whatever
// their age.
#include <gtest/gtest.h>

#include "io/fault_injecting_file_system.h"
#include "io/mem_file_system.h"
#include "io/path.h"
#include "lake/lake_lock.h"
#include "pipeline/compact.h"
#include "pipeline/transform.h"
#include "pipeline/transform_io.h"
#include "pipeline/transform_test_util.h"
#include "pipeline/vacuum.h"

namespace saleslake::pipeline {
namespace {

constexpr int64_t kNow = 1'795'000'000'000'000LL;

TransformOptions Options(int threads = 1) {
  TransformOptions options;
  options.now_micros = kNow + 10'000'000;
  options.threads = threads;
  return options;
}

// Pending files anywhere in the lake.
std::vector<std::string> PendingFiles(io::FileSystem& fs) {
  io::ListOptions list;
  list.include_temporaries = true;
  std::vector<std::string> out;
  auto listed = fs.List("", list);
  EXPECT_TRUE(listed.ok()) << listed.status().ToString();
  if (!listed.ok()) return out;
  for (const io::FileInfo& f : *listed) {
    if (lake::IsPendingName(io::BaseName(f.path))) out.push_back(f.path);
  }
  return out;
}

Result<TransformResult> TransformOn(std::shared_ptr<io::FileSystem> fs, int threads = 1) {
  SL_ASSIGN_OR_RETURN(auto lock, lake::LakeLock::Acquire(fs, "test transform"));
  SL_ASSIGN_OR_RETURN(auto ledger, lake::Ledger::Open(fs, true));
  return RunTransform(fs, ledger.get(), Options(threads));
}

// The thread count of the failing run and of the retry.
class DiskFull : public ::testing::TestWithParam<int> {};

// The disk fills after the nth publish of a staged file, for n across the whole run: every time
// the transform fails with ResourceExhausted naming the way out, leaves no pending file and no
// commit, and the retry on the freed disk commits every row, the files of a clean run at one
// thread. With several threads the others may still be writing when one meets the full disk:
// what they staged is removed too.
TEST_P(DiskFull, TransformRemovesWhatItStagedAndTheRetrySucceeds) {
  const int threads = GetParam();
  auto clean = io::MemFileSystem::Make();
  testing::LandRawBatch(clean, testing::GenerateNdjson(600, 7, kNow, 0.05, nullptr, 4), "batch1",
                        kNow);
  auto counting = std::make_shared<io::FaultInjectingFileSystem>(clean);
  ASSERT_TRUE(TransformOn(counting).ok());
  const uint64_t publishes = counting->OperationCount(io::fault::kPublish);
  ASSERT_GT(publishes, 4u);
  const uint64_t rows = testing::CommittedRows(clean, "main/sales");
  const auto files = testing::CommittedFiles(clean);

  // Every other publish at one thread; at more, every sixth, from the (threads - 1)th on.
  for (uint64_t n = static_cast<uint64_t>(threads); n <= publishes; n += threads == 1 ? 2 : 6) {
    auto disk = io::MemFileSystem::Make();
    testing::LandRawBatch(disk, testing::GenerateNdjson(600, 7, kNow, 0.05, nullptr, 4), "batch1",
                          kNow);
    auto full = std::make_shared<io::FaultInjectingFileSystem>(disk);
    // Staged files publish (Close) and the commit record too; from the nth on, no space.
    full->FailOperation(n, io::fault::kPublish | io::fault::kAppend | io::fault::kOpenForWrite,
                        io::fault::FailMode::kDiskFull);
    auto failed = TransformOn(full, threads);
    ASSERT_FALSE(failed.ok()) << "n=" << n;
    EXPECT_EQ(failed.status().code(), StatusCode::kResourceExhausted) << failed.status().ToString();
    EXPECT_NE(failed.status().message().find("No space left on device"), std::string::npos);
    EXPECT_NE(failed.status().message().find("Free space"), std::string::npos)
        << failed.status().ToString();
    EXPECT_NE(failed.status().message().find("saleslake vacuum"), std::string::npos);
    EXPECT_EQ(PendingFiles(*disk), std::vector<std::string>{}) << "n=" << n;
    EXPECT_EQ(testing::CommittedRows(disk, "main/sales"), 0u);
    // Space freed: the retry commits everything.
    auto retry = TransformOn(disk, threads);
    ASSERT_TRUE(retry.ok()) << retry.status().ToString();
    EXPECT_EQ(testing::CommittedRows(disk, "main/sales"), rows) << "n=" << n;
    EXPECT_EQ(testing::CommittedFiles(disk), files) << "n=" << n;
  }
}

TEST_P(DiskFull, CompactRemovesWhatItStaged) {
  const int threads = GetParam();
  CompactOptions options;
  options.threads = threads;
  auto disk = io::MemFileSystem::Make();
  for (int i = 0; i < 3; ++i) {
    testing::LandRawBatch(disk, testing::GenerateNdjson(300, 60 + i, kNow, 0.0, nullptr, 2),
                          "batch" + std::to_string(i), kNow + i);
    ASSERT_TRUE(TransformOn(disk).ok());
  }
  auto full = std::make_shared<io::FaultInjectingFileSystem>(disk);
  {
    auto lock = lake::LakeLock::Acquire(full, "test compact");
    ASSERT_TRUE(lock.ok());
    auto ledger = lake::Ledger::Open(full, true);
    ASSERT_TRUE(ledger.ok());
    full->FailOperation(2, io::fault::kPublish, io::fault::FailMode::kDiskFull);
    auto r = RunCompact(full, ledger->get(), options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << r.status().ToString();
    EXPECT_EQ(PendingFiles(*disk), std::vector<std::string>{});
  }
  auto lock = lake::LakeLock::Acquire(disk, "test compact");
  auto ledger = lake::Ledger::Open(disk, true);
  ASSERT_TRUE(ledger.ok());
  const uint64_t rows = testing::CommittedRows(disk, "main/sales");
  auto again = RunCompact(disk, ledger->get(), options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->committed);
  EXPECT_EQ(testing::CommittedRows(disk, "main/sales"), rows);
}

INSTANTIATE_TEST_SUITE_P(Threads, DiskFull, ::testing::Values(1, 2, 3),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::to_string(info.param) + "Threads";
                         });

// Files a failed run could not remove (the process died first) are pending files: vacuum removes
// them at once, while a young stray file keeps the default hour's grace.
// Whether a failed write's staged files go is the commit log's answer (a record file in _ledger/
// for the embedded log, a row for PostgreSQL, which writes no such file): the files of a recorded
// commit stay for recovery to publish; those of a commit never recorded are removed.
TEST(DiscardStaged, AsksTheCommitLogWhetherTheCommitWasRecorded) {
  auto fs = io::MemFileSystem::Make();
  testing::LandRawBatch(fs, testing::GenerateNdjson(50, 3, kNow, 0.0, nullptr, 1), "batch1", kNow);
  auto ledger = lake::Ledger::Open(fs, true);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  const uint64_t last = (*ledger)->state().last_seq;
  ASSERT_GT(last, 0u);
  const Status failure = Status::IOError("publishing failed");
  for (const uint64_t seq : {last, last + 1}) {
    lake::LedgerCommit commit;
    commit.seq = seq;
    lake::LedgerFile f;
    f.path = "main/sales/year=2026/month=11/day=01/staged-" + std::to_string(seq) + ".parquet";
    commit.added.push_back(f);
    ASSERT_TRUE(fs->WriteFile(lake::PendingPath(f.path), "staged").ok());
    EXPECT_EQ(DiscardStaged(*fs, ledger->get(), commit, failure).code(), StatusCode::kIOError);
    const bool kept = fs->GetFileInfo(lake::PendingPath(f.path))->type == io::FileType::kFile;
    EXPECT_EQ(kept, seq == last) << "commit " << seq << " (the last recorded is " << last << ")";
    // Without a commit log to ask, a numbered commit's files are kept.
    if (!kept) {
      ASSERT_TRUE(fs->WriteFile(lake::PendingPath(f.path), "staged").ok());
      EXPECT_FALSE(DiscardStaged(*fs, nullptr, commit, failure).ok());
      EXPECT_EQ(fs->GetFileInfo(lake::PendingPath(f.path))->type, io::FileType::kFile);
    }
  }
}

TEST(DiskFullVacuum, RemovesPendingFilesOfFailedRunsAtOnce) {
  auto disk = io::MemFileSystem::Make();
  ASSERT_TRUE(
      disk->WriteFile("main/sales/year=2026/month=01/day=01/_pending-part-x.parquet.pending",
                      "staged")
          .ok());
  ASSERT_TRUE(disk->WriteFile("main/sales/year=2026/month=01/day=01/stray.parquet", "x").ok());
  auto lock = lake::LakeLock::Acquire(disk, "test vacuum");
  auto ledger = lake::Ledger::Open(disk, true);
  ASSERT_TRUE(ledger.ok());
  auto r = Vacuum(*disk, **ledger, VacuumOptions());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->removed.size(), 1u);
  EXPECT_NE(r->removed[0].find("_pending-"), std::string::npos);
  EXPECT_EQ(r->kept.size(), 1u);
}

}  // namespace
}  // namespace saleslake::pipeline
