// The commit log's format version, migration of a lake written in format 1, checkpoints that
// bound the open, and expiry of old snapshots.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "io/mem_file_system.h"
#include "io/path.h"
#include "lake/lake.h"
#include "lake/ledger.h"
#include "lake/ledger_json.h"

namespace saleslake::lake {
namespace {

const std::string kA = "raw/sales/year=2026/month=11/day=26/batch-a.parquet";
const std::string kB = "raw/sales/year=2026/month=11/day=26/batch-b.parquet";
const std::string kMain = "main/sales/year=2026/month=11/day=20/part-1.parquet";

// A commit record exactly as format 1 (the lakes written before the format version moved to 2)
// wrote it: the same fields, "format":1.
std::string FormatOneCommit(uint64_t seq, const std::string& kind, const std::string& path,
                            const std::string& table, const std::string& batch,
                            const std::string& consumed) {
  return fmt::format(
      R"({{"format":1,"seq":{},"kind":"{}","run_id":"r{}","committed_at":{},"added":[)"
      R"({{"path":"{}","table":"{}","partition":"year=2026/month=11/day=26","rows":10,"bytes":4}}],)"
      R"("removed":[],"landed_batches":[{}],"consumed_batches":[{}],"details":{{}}}})"
      "\n",
      seq, kind, seq, 1'700'000'000'000'000LL + static_cast<int64_t>(seq), path, table,
      batch.empty() ? "" : "\"" + batch + "\"", consumed.empty() ? "" : "\"" + consumed + "\"");
}

// A lake with three format-1 commits: two extracts and a transform into main.
std::shared_ptr<io::MemFileSystem> FormatOneLake() {
  auto fs = io::MemFileSystem::Make();
  EXPECT_TRUE(
      fs->WriteFile(CommitPath(1), FormatOneCommit(1, "extract", kA, "raw/sales", "a", "")).ok());
  EXPECT_TRUE(
      fs->WriteFile(CommitPath(2), FormatOneCommit(2, "extract", kB, "raw/sales", "b", "")).ok());
  EXPECT_TRUE(
      fs->WriteFile(CommitPath(3), FormatOneCommit(3, "transform", kMain, "main/sales", "", "a"))
          .ok());
  for (const std::string& p : {kA, kB, kMain}) EXPECT_TRUE(fs->WriteFile(p, "data").ok());
  return fs;
}

void ExpectFormatOneState(const LedgerState& s) {
  EXPECT_EQ(s.last_seq, 3u);
  ASSERT_EQ(s.files.size(), 3u);
  EXPECT_EQ(s.files.at(kMain).table, "main/sales");
  EXPECT_EQ(s.files.at(kA).rows, 10u);
  EXPECT_EQ(s.PendingBatches(), std::vector<std::string>{"b"});
  EXPECT_EQ(s.table_versions.at("raw/sales"), 2u);
  EXPECT_EQ(s.table_versions.at("main/sales"), 3u);
}

TEST(LedgerFormatTest, AReaderReadsFormatOneAsItIsAndChangesNothing) {
  auto fs = FormatOneLake();
  auto log = Ledger::Open(fs, /*recover=*/false);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ((*log)->format(), 1u);
  ExpectFormatOneState((*log)->state());
  EXPECT_FALSE(fs->GetFileInfo(CheckpointPath()).ok() &&
               fs->GetFileInfo(CheckpointPath())->type == io::FileType::kFile);
}

TEST(LedgerFormatTest, AWriterMigratesOnFirstOpenAndTheStateIsTheSame) {
  auto fs = FormatOneLake();
  {
    auto log = Ledger::Open(fs, /*recover=*/true);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    EXPECT_EQ((*log)->format(), kLedgerFormat);
    ExpectFormatOneState((*log)->state());
  }
  auto text = fs->ReadFile(CheckpointPath());
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find(fmt::format("\"format\":{}", kLedgerFormat)), std::string::npos) << *text;
  auto again = Ledger::Open(fs, /*recover=*/false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->format(), kLedgerFormat);
  EXPECT_EQ((*again)->commits_read_on_open(), 0u);
  ExpectFormatOneState((*again)->state());
  // The format-1 records stay readable for history.
  auto first = (*again)->ReadCommit(1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->format, 1u);
}

TEST(LedgerFormatTest, MigrateCommandLibraryCallIsIdempotent) {
  auto lake = Lake::OnFileSystem(FormatOneLake());
  auto r = MigrateLake(*lake);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->from_format, 1u);
  EXPECT_EQ(r->to_format, kLedgerFormat);
  EXPECT_EQ(r->last_seq, 3u);
  auto second = MigrateLake(*lake);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->from_format, kLedgerFormat);
}

TEST(LedgerFormatTest, ANewerFormatIsRefusedNotMisread) {
  auto fs = io::MemFileSystem::Make();
  std::string record = FormatOneCommit(1, "extract", kA, "raw/sales", "a", "");
  record.replace(record.find("\"format\":1"), 10, "\"format\":9");
  ASSERT_TRUE(fs->WriteFile(CommitPath(1), record).ok());
  auto log = Ledger::Open(fs, /*recover=*/false);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kNotSupported) << log.status().ToString();
  EXPECT_NE(log.status().message().find("upgrade saleslake"), std::string::npos);
}

// Stages and commits one file per commit.
void CommitMany(io::FileSystem& fs, Ledger& log, int n, int64_t* clock) {
  for (int i = 0; i < n; ++i) {
    LedgerCommit c;
    c.kind = "extract";
    const std::string path = fmt::format("raw/sales/year=2026/month=11/day=26/batch-{}.parquet",
                                         log.state().last_seq + 1);
    ASSERT_TRUE(fs.WriteFile(PendingPath(path), "data").ok());
    LedgerFile f;
    f.path = path;
    f.table = "raw/sales";
    c.added.push_back(f);
    c.landed_batches = {path};
    static int64_t* now = nullptr;
    now = clock;
    log.SetClockForTesting([]() { return (*now)++; });
    ASSERT_TRUE(log.Commit(&c).ok());
  }
}

TEST(LedgerFormatTest, ACheckpointBoundsTheCommitsReadOnOpen) {
  auto fs = io::MemFileSystem::Make();
  int64_t clock = 1'000;
  auto log = Ledger::Open(fs, true);
  ASSERT_TRUE(log.ok());
  CommitMany(*fs, **log, 200, &clock);
  auto reopened = Ledger::Open(fs, false);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->state().last_seq, 200u);
  EXPECT_EQ((*reopened)->state().files.size(), 200u);
  // 200 = 3 x 64 + 8: the checkpoint at 192, then 8 records.
  EXPECT_EQ((*reopened)->commits_read_on_open(), 200u % Ledger::kCheckpointEvery);
  EXPECT_LT((*reopened)->commits_read_on_open(), Ledger::kCheckpointEvery);
}

TEST(LedgerFormatTest, ExpiredSnapshotsGoAndTheLakeReadsTheSame) {
  auto fs = io::MemFileSystem::Make();
  int64_t clock = 1'000;
  auto log = Ledger::Open(fs, true);
  ASSERT_TRUE(log.ok());
  CommitMany(*fs, **log, 10, &clock);  // committed at 1000..1009
  const LedgerState before = (*log)->state();
  const std::string origin = before.origin;
  EXPECT_EQ(origin, "@1000");                     // run id "" and the time of commit 1
  auto expired = (*log)->ExpireSnapshots(1'005);  // commits 1..5
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  EXPECT_EQ(*expired, 5u);
  EXPECT_FALSE(fs->ReadFile(CommitPath(5)).ok());
  EXPECT_TRUE(fs->ReadFile(CommitPath(6)).ok());
  auto reopened = Ledger::Open(fs, true);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->state().files, before.files);
  EXPECT_EQ((*reopened)->state().last_seq, 10u);
  EXPECT_EQ((*reopened)->first_seq(), 6u);
  EXPECT_EQ((*reopened)->state().origin, origin);  // the lake is still the same lake
  auto recent = (*reopened)->RecentCommits(100);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(recent->size(), 5u);  // the history left: 10..6
  // Everything expires but the newest commit, which recovery and orphan search read.
  auto all = (*reopened)->ExpireSnapshots(1'000'000);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 4u);
  EXPECT_TRUE(fs->ReadFile(CommitPath(10)).ok());
  auto last = Ledger::Open(fs, true);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ((*last)->state().files, before.files);
}

}  // namespace
}  // namespace saleslake::lake
