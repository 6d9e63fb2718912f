// The PostgreSQL commit log against a real PostgreSQL (PgTestServer: skipped with a message
// when the server binaries are missing): schema migration, commits of several writers, moving a
// log to PostgreSQL and back, retries of serialization failures, and passwords kept out of
// every message.
#include "lake/pg_commit_log.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <thread>

#include "base/storage_flags.h"
#include "io/mem_file_system.h"
#include "lake/commit_log_move.h"
#include "lake/lake.h"
#include "lake/pg_test_server.h"

namespace saleslake::lake {
namespace {

class PgCommitLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = PgTestServer::Shared();
    if (!pg_->ok()) GTEST_SKIP() << pg_->why_not();
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    schema_ = "t_";
    for (char c : name) schema_.push_back(static_cast<char>(std::tolower(c)));
    uri_ = pg_->Uri(schema_);
    auto conn = PgConnection::Connect(uri_);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    ASSERT_TRUE((*conn)->ExecScript("DROP SCHEMA IF EXISTS {s} CASCADE").ok());
  }

  Result<int> Migrate() {
    SL_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, PgConnection::Connect(uri_));
    return MigratePgSchema(conn.get());
  }

  Result<std::unique_ptr<Ledger>> OpenPg(std::shared_ptr<io::FileSystem> fs, bool recover) {
    SL_ASSIGN_OR_RETURN(std::unique_ptr<CommitLogStore> store, OpenPgCommitLog(fs, uri_));
    return Ledger::Open(fs, std::move(store), recover);
  }

  const PgTestServer* pg_ = nullptr;
  std::string schema_;
  std::string uri_;
};

Status Land(io::FileSystem& fs, Ledger& ledger, const std::string& batch,
            std::vector<std::string> removed = {}) {
  LedgerCommit c;
  c.kind = "extract";
  c.run_id = "run-" + batch;
  c.landed_batches = {batch};
  c.removed = std::move(removed);
  LedgerFile f;
  f.path = "raw/sales/year=2026/month=11/day=26/batch-" + batch + ".parquet";
  f.table = "raw/sales";
  f.partition = "year=2026/month=11/day=26";
  f.rows = 10;
  f.bytes = 4;
  SL_RETURN_IF_ERROR(fs.WriteFile(PendingPath(f.path), "data"));
  c.added.push_back(f);
  return ledger.Commit(&c);
}

TEST_F(PgCommitLogTest, MigrateCreatesTheSchemaOnceAndOpenNeedsIt) {
  auto fs = io::MemFileSystem::Make();
  auto before = OpenPgCommitLog(fs, uri_);
  ASSERT_FALSE(before.ok());
  EXPECT_NE(before.status().message().find("saleslake commit-log migrate"), std::string::npos)
      << before.status().message();
  auto first = Migrate();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, 0);
  auto again = Migrate();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, kPgSchemaVersion);
  EXPECT_TRUE(OpenPgCommitLog(fs, uri_).ok());
}

TEST_F(PgCommitLogTest, CommitsReopenAndPublish) {
  ASSERT_TRUE(Migrate().ok());
  auto fs = io::MemFileSystem::Make();
  {
    auto ledger = OpenPg(fs, true);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    for (int i = 0; i < 70; ++i) ASSERT_TRUE(Land(*fs, **ledger, "b" + std::to_string(i)).ok());
    EXPECT_EQ((*ledger)->state().last_seq, 70u);
  }
  auto reopened = OpenPg(fs, false);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->state().last_seq, 70u);
  EXPECT_EQ((*reopened)->state().files.size(), 70u);
  // A checkpoint at 64 bounds what an open reads.
  EXPECT_EQ((*reopened)->commits_read_on_open(), 6u);
  auto info = fs->GetFileInfo("raw/sales/year=2026/month=11/day=26/batch-b3.parquet");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->type, io::FileType::kFile);
  // Nothing of the log is in the lake.
  auto ledger_dir = fs->List("_ledger", io::ListOptions{});
  ASSERT_TRUE(ledger_dir.ok());
  EXPECT_TRUE(ledger_dir->empty());
}

TEST_F(PgCommitLogTest, TwoWritersCommitInTurnAndConflictsAreRefused) {
  ASSERT_TRUE(Migrate().ok());
  auto fs = io::MemFileSystem::Make();
  auto a = OpenPg(fs, false);
  auto b = OpenPg(fs, false);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(Land(*fs, **a, "x").ok());
  // b has not seen x: its commit catches up first.
  ASSERT_TRUE(Land(*fs, **b, "y").ok());
  EXPECT_EQ((*b)->state().last_seq, 2u);
  EXPECT_EQ((*b)->state().files.size(), 2u);
  // Both replace x's file; the second to commit is refused.
  const std::string x = "raw/sales/year=2026/month=11/day=26/batch-x.parquet";
  ASSERT_TRUE(Land(*fs, **a, "z", {x}).ok());
  Status late = Land(*fs, **b, "w", {x});
  EXPECT_EQ(late.code(), StatusCode::kAborted) << late.ToString();
  EXPECT_NE(late.message().find("conflicts"), std::string::npos) << late.message();
  auto fresh = OpenPg(fs, false);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*fresh)->state().last_seq, 3u);
}

TEST_F(PgCommitLogTest, MovesToPostgresAndBack) {
  auto fs = io::MemFileSystem::Make();
  std::shared_ptr<Lake> lake = Lake::OnFileSystem(fs);
  {
    auto embedded = Ledger::Open(fs, /*recover=*/true);
    ASSERT_TRUE(embedded.ok());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(Land(*fs, **embedded, "e" + std::to_string(i)).ok());
  }
  auto to_pg = MoveCommitLog(*lake, "embedded", uri_);
  ASSERT_TRUE(to_pg.ok()) << to_pg.status().ToString();
  EXPECT_EQ(to_pg->commits, 5u);
  EXPECT_EQ(to_pg->to.find(pg_->password()), std::string::npos);
  // The embedded log now refuses, pointing to the new place.
  auto stale = Ledger::Open(fs, false);
  ASSERT_FALSE(stale.ok());
  EXPECT_NE(stale.status().message().find("--commit-log"), std::string::npos);
  EXPECT_EQ(stale.status().message().find(pg_->password()), std::string::npos);
  {
    auto in_pg = OpenPg(fs, true);
    ASSERT_TRUE(in_pg.ok()) << in_pg.status().ToString();
    EXPECT_EQ((*in_pg)->state().last_seq, 5u);
    EXPECT_EQ((*in_pg)->state().files.size(), 5u);
    ASSERT_TRUE(Land(*fs, **in_pg, "p").ok());
  }
  auto back = MoveCommitLog(*lake, uri_, "embedded");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->last_seq, 6u);
  auto embedded = Ledger::Open(fs, true);
  ASSERT_TRUE(embedded.ok()) << embedded.status().ToString();
  EXPECT_EQ((*embedded)->state().last_seq, 6u);
  EXPECT_EQ((*embedded)->state().files.size(), 6u);
  auto commit3 = (*embedded)->ReadCommit(3);
  ASSERT_TRUE(commit3.ok());
  EXPECT_EQ(commit3->run_id, "run-e2");
  auto refused = OpenPgCommitLog(fs, uri_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("moved back"), std::string::npos);
  // And again to PostgreSQL: the schema it left is reused.
  auto again = MoveCommitLog(*lake, "embedded", uri_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->last_seq, 6u);
}

TEST_F(PgCommitLogTest, ALogBelongsToOneLake) {
  ASSERT_TRUE(Migrate().ok());
  std::shared_ptr<io::FileSystem> one = *io::MemFileSystem::Named("pg-one");
  std::shared_ptr<io::FileSystem> two = *io::MemFileSystem::Named("pg-two");
  auto ledger = OpenPg(one, true);
  ASSERT_TRUE(ledger.ok());
  ASSERT_TRUE(Land(*one, **ledger, "a").ok());
  auto other = OpenPgCommitLog(two, uri_);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("belongs to the lake"), std::string::npos);
}

TEST_F(PgCommitLogTest, SerializationFailuresAreRetried) {
  ASSERT_TRUE(Migrate().ok());
  auto holder = PgConnection::Connect(uri_);
  auto retrier = PgConnection::Connect(uri_);
  ASSERT_TRUE(holder.ok() && retrier.ok());
  ASSERT_TRUE((*holder)
                  ->ExecScript("CREATE TABLE {s}.counter (n int); INSERT INTO {s}.counter "
                               "VALUES (0)")
                  .ok());
  ASSERT_TRUE((*holder)->ExecScript("BEGIN ISOLATION LEVEL SERIALIZABLE").ok());
  ASSERT_TRUE((*holder)->ExecScript("UPDATE {s}.counter SET n = n + 1").ok());
  std::atomic<bool> snapshot_taken{false};
  std::atomic<int> attempts{0};
  Status result;
  std::thread t([&] {
    result = (*retrier)->Transact(
        [&]() -> Status {
          SL_RETURN_IF_ERROR((*retrier)->Exec("SELECT n FROM {s}.counter").status());
          if (attempts.fetch_add(1) == 0) snapshot_taken = true;
          return (*retrier)->Exec("UPDATE {s}.counter SET n = n + 10").status();
        },
        /*serializable=*/true);
  });
  while (!snapshot_taken) std::this_thread::yield();
  ASSERT_TRUE((*holder)->ExecScript("COMMIT").ok());
  t.join();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_GE(attempts.load(), 2);
  EXPECT_GE((*retrier)->retries(), 1u);
  auto n = (*holder)->Exec("SELECT n FROM {s}.counter");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->Text(0, 0), "11");
}

TEST_F(PgCommitLogTest, PasswordsNeverAppearInMessages) {
  const std::string wrong = "not-the-Pa55word";
  std::string bad_uri = uri_;
  bad_uri.replace(bad_uri.find(pg_->password()), pg_->password().size(), wrong);
  auto refused = PgConnection::Connect(bad_uri);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message().find(wrong), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("postgresql://saleslake@127.0.0.1"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(RedactCommitLogUri("postgresql://u:s3cr%40t@h:5/db?password=other&schema=x"),
            "postgresql://u@h:5/db?schema=x");
  // From PGPASSWORD: it works, and a wrong one is not echoed.
  ::setenv("PGPASSWORD", pg_->password().c_str(), 1);
  auto from_env = PgConnection::Connect(pg_->UriWithoutPassword(schema_));
  EXPECT_TRUE(from_env.ok()) << from_env.status().ToString();
  ::setenv("PGPASSWORD", wrong.c_str(), 1);
  auto env_refused = PgConnection::Connect(pg_->UriWithoutPassword(schema_));
  ::unsetenv("PGPASSWORD");
  ASSERT_FALSE(env_refused.ok());
  EXPECT_EQ(env_refused.status().message().find(wrong), std::string::npos);
  // A query error carries the redacted URI only.
  ASSERT_TRUE(from_env.ok());
  auto bad_sql = (*from_env)->Exec("SELECT * FROM {s}.no_such_table");
  ASSERT_FALSE(bad_sql.ok());
  EXPECT_EQ(bad_sql.status().message().find(pg_->password()), std::string::npos);
  EXPECT_NE(bad_sql.status().message().find("42P01"), std::string::npos);
}

}  // namespace
}  // namespace saleslake::lake
