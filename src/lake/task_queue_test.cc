// Tasks with leases and fencing tokens against a real PostgreSQL (skipped with a message when
// the server binaries are missing).
#include "lake/task_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "io/mem_file_system.h"
#include "lake/ledger.h"
#include "lake/pg_commit_log.h"
#include "lake/pg_test_server.h"

namespace saleslake::lake {
namespace {

class TaskQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = PgTestServer::Shared();
    if (!pg_->ok()) GTEST_SKIP() << pg_->why_not();
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string schema = "q_";
    for (char c : name) schema.push_back(static_cast<char>(std::tolower(c)));
    uri_ = pg_->Uri(schema);
    auto conn = PgConnection::Connect(uri_);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    ASSERT_TRUE((*conn)->ExecScript("DROP SCHEMA IF EXISTS {s} CASCADE").ok());
    ASSERT_TRUE(MigratePgSchema(conn->get()).ok());
  }

  std::unique_ptr<TaskQueue> Queue() {
    auto q = TaskQueue::Open(uri_);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    return q.ok() ? std::move(q).value() : nullptr;
  }

  // Waits until PostgreSQL's clock has passed a lease of 0 s (it is the only clock that counts).
  static void LetLeasesExpire() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }

  const PgTestServer* pg_ = nullptr;
  std::string uri_;
};

Status CommitFor(io::FileSystem& fs, Ledger& ledger, const std::string& name,
                 const CommitFence& fence) {
  LedgerCommit c;
  c.kind = "transform";
  c.run_id = "run";
  LedgerFile f;
  f.path = "main/sales/year=2026/month=11/day=26/part-" + name + ".parquet";
  f.table = "main/sales";
  f.partition = "year=2026/month=11/day=26";
  SL_RETURN_IF_ERROR(fs.WriteFile(PendingPath(f.path), "data"));
  c.added.push_back(f);
  return ledger.Commit(&c, &fence);
}

TEST_F(TaskQueueTest, EachTaskIsClaimedOnceAndPhasesRunInOrder) {
  auto q = Queue();
  ASSERT_NE(q, nullptr);
  ASSERT_TRUE(q->Enqueue("r1", {{0, "map", "b1"}, {0, "map", "b2"}, {1, "reduce", "day"}}).ok());
  // Enqueueing again (a coordinator that restarted) adds nothing.
  ASSERT_TRUE(q->Enqueue("r1", {{0, "map", "b1"}}).ok());
  auto a = q->Claim("wa", 60);
  auto b = q->Claim("wb", 60);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(a->has_value() && b->has_value());
  EXPECT_NE((*a)->id, (*b)->id);
  EXPECT_EQ((*a)->kind, "map");
  EXPECT_EQ((*b)->kind, "map");
  EXPECT_LT((*a)->token, (*b)->token);
  // The reduce waits for both maps.
  auto none = q->Claim("wc", 60);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(q->Complete(**a, "ok").ok());
  ASSERT_TRUE(q->Complete(**b, "ok").ok());
  auto reduce = q->Claim("wc", 60);
  ASSERT_TRUE(reduce.ok() && reduce->has_value());
  EXPECT_EQ((*reduce)->kind, "reduce");
  auto progress = q->RunProgress("r1");
  ASSERT_TRUE(progress.ok());
  EXPECT_EQ((*progress)["done"], 2);
  EXPECT_EQ((*progress)["running"], 1);
}

TEST_F(TaskQueueTest, ConcurrentClaimersNeverShareATask) {
  auto q = Queue();
  ASSERT_NE(q, nullptr);
  std::vector<TaskSpec> specs;
  for (int i = 0; i < 40; ++i) specs.push_back({0, "map", "b" + std::to_string(i)});
  ASSERT_TRUE(q->Enqueue("r", specs).ok());
  std::vector<std::vector<int64_t>> got(4);
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      auto mine = TaskQueue::Open(uri_);
      if (!mine.ok()) return;
      for (;;) {
        auto t = (*mine)->Claim("w" + std::to_string(w), 60);
        if (!t.ok() || !t->has_value()) return;
        got[w].push_back((*t)->id);
        if (!(*mine)->Complete(**t, "").ok()) return;
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<int64_t> all;
  size_t total = 0;
  for (const auto& g : got) {
    total += g.size();
    all.insert(g.begin(), g.end());
  }
  EXPECT_EQ(total, 40u);
  EXPECT_EQ(all.size(), 40u);
}

TEST_F(TaskQueueTest, AnExpiredLeaseIsReclaimedAndTheStaleWorkersCommitIsRefused) {
  auto q = Queue();
  ASSERT_NE(q, nullptr);
  ASSERT_TRUE(q->Enqueue("r", {{0, "transform", "all"}}).ok());
  auto fs = io::MemFileSystem::Make();
  // Worker A claims with a lease that ends at once (it "paused" past it).
  auto a = q->Claim("wa", 0);
  ASSERT_TRUE(a.ok() && a->has_value());
  LetLeasesExpire();
  auto b = q->Claim("wb", 60);
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->id, (*a)->id);
  EXPECT_GT((*b)->token, (*a)->token);
  EXPECT_EQ((*b)->attempts, 2);
  auto renewed = q->Renew(**a, 60);
  ASSERT_TRUE(renewed.ok());
  EXPECT_FALSE(*renewed);

  auto store_a = OpenPgCommitLog(fs, uri_);
  auto store_b = OpenPgCommitLog(fs, uri_);
  ASSERT_TRUE(store_a.ok() && store_b.ok());
  auto ledger_a = Ledger::Open(fs, std::move(*store_a), false);
  auto ledger_b = Ledger::Open(fs, std::move(*store_b), false);
  ASSERT_TRUE(ledger_a.ok() && ledger_b.ok());
  ASSERT_TRUE(CommitFor(*fs, **ledger_b, "b", (*b)->fence()).ok());
  ASSERT_TRUE(q->Complete(**b, "seq 1").ok());
  // A wakes up and tries to publish: refused, and nothing it wrote is referenced.
  Status late = CommitFor(*fs, **ledger_a, "a", (*a)->fence());
  EXPECT_EQ(late.code(), StatusCode::kAborted) << late.ToString();
  EXPECT_NE(late.message().find("fencing token"), std::string::npos);
  EXPECT_EQ(q->Complete(**a, "late").code(), StatusCode::kAborted);
  auto fresh_store = OpenPgCommitLog(fs, uri_);
  ASSERT_TRUE(fresh_store.ok());
  auto fresh = Ledger::Open(fs, std::move(*fresh_store), false);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*fresh)->state().last_seq, 1u);
  EXPECT_EQ((*fresh)->state().files.size(), 1u);
  auto orphans = (*fresh)->FindOrphans();
  ASSERT_TRUE(orphans.ok());
  ASSERT_EQ(orphans->size(), 1u);
  EXPECT_NE((*orphans)[0].find("_pending-part-a"), std::string::npos);

  auto status = q->Overview();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->tasks_by_state["done"], 1);
  EXPECT_EQ(status->retries, 1);
  EXPECT_EQ(status->refused_commits, 2);
}

TEST_F(TaskQueueTest, ReleasedTasksGoBackAndFailuresStopAfterMaxAttempts) {
  auto q = Queue();
  ASSERT_NE(q, nullptr);
  ASSERT_TRUE(q->Enqueue("r", {{0, "map", "b"}}, /*max_attempts=*/2).ok());
  auto first = q->Claim("w", 60);
  ASSERT_TRUE(first.ok() && first->has_value());
  ASSERT_TRUE(q->Release(**first).ok());  // SIGTERM: handed back, not counted
  auto second = q->Claim("w", 60);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->attempts, 1);
  ASSERT_TRUE(q->Fail(**second, "disk full").ok());
  auto third = q->Claim("w", 60);
  ASSERT_TRUE(third.ok() && third->has_value());
  ASSERT_TRUE(q->Fail(**third, "disk full again").ok());
  auto none = q->Claim("w", 60);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto failure = q->RunFailure("r");
  ASSERT_TRUE(failure.ok());
  EXPECT_NE(failure->find("disk full again"), std::string::npos);
}

TEST_F(TaskQueueTest, TheEmbeddedLogRefusesATasksCommit) {
  auto fs = io::MemFileSystem::Make();
  auto ledger = Ledger::Open(fs, true);
  ASSERT_TRUE(ledger.ok());
  Status st = CommitFor(*fs, **ledger, "x", CommitFence{1, 1});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace saleslake::lake
