// The map, reduce and finalize tasks against a real PostgreSQL commit log (skipped with a message
// when the server binaries are missing): a distributed run writes files byte-identical to the
// one-process transform's (names aside), also when attempts of a map, a reduce and the finalize
// are taken over after their lease expired; the late attempts are refused, their files are
// named by nothing and vacuum removes them.
#include "pipeline/distributed/transform_tasks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>

#include "base/storage_flags.h"
#include "io/mem_file_system.h"
#include "lake/lake_lock.h"
#include "lake/pg_commit_log.h"
#include "lake/pg_test_server.h"
#include "pipeline/distributed/task_results.h"
#include "pipeline/transform.h"
#include "pipeline/transform_test_util.h"
#include "pipeline/vacuum.h"

namespace saleslake::pipeline::distributed {
namespace {

using testing::CommittedFiles;
using testing::GenerateNdjson;
using testing::LandRawBatch;

constexpr int64_t kNow = 1'795'000'000'000'000LL;
constexpr int64_t kHour = 3'600'000'000LL;

// Table -> the bytes of its committed files, sorted (file names differ between the two runs).
std::map<std::string, std::vector<std::string>> ByTable(std::shared_ptr<io::FileSystem> fs) {
  std::map<std::string, std::vector<std::string>> out;
  auto ledger = lake::Ledger::Open(fs, false);
  EXPECT_TRUE(ledger.ok());
  std::map<std::string, std::string> files = CommittedFiles(fs);
  for (const auto& [path, bytes] : files) {
    out[(*ledger)->state().files.at(path).table].push_back(bytes);
  }
  for (auto& [table, v] : out) std::sort(v.begin(), v.end());
  return out;
}

class TransformTasksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = lake::PgTestServer::Shared();
    if (!pg_->ok()) GTEST_SKIP() << pg_->why_not();
    uri_ = pg_->Uri("transform_tasks");
    auto conn = lake::PgConnection::Connect(uri_);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    ASSERT_TRUE((*conn)->ExecScript("DROP SCHEMA IF EXISTS {s} CASCADE").ok());
    ASSERT_TRUE(lake::MigratePgSchema(conn->get()).ok());
    auto q = lake::TaskQueue::Open(uri_);
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    queue_ = std::move(q).value();
  }
  void TearDown() override { SetCommitLogFlag(""); }

  // Lands batch `n` (the same records for both lakes) under the current commit log.
  void Land(std::shared_ptr<io::FileSystem> fs, int n) {
    // Batch 3 repeats batch 0's records: exact duplicates across batches.
    std::string ndjson = GenerateNdjson(1500, 40 + (n == 3 ? 0 : n), kNow, 0.03, nullptr, 12);
    LandRawBatch(fs, ndjson, "b" + std::to_string(n), kNow + n * kHour);
  }

  static TransformOptions Options() {
    TransformOptions options;
    options.now_micros = kNow + 10 * kHour;
    options.business_utc_offset_seconds = 19'800;  // +05:30
    return options;
  }

  // Enqueues a run as `transform --workers` does and returns its id.
  std::string Enqueue(std::shared_ptr<io::FileSystem> fs) {
    auto ledger = lake::Ledger::Open(fs, true);
    EXPECT_TRUE(ledger.ok());
    TransformTaskInput input;
    input.now_micros = Options().now_micros;
    input.business_utc_offset_seconds = Options().business_utc_offset_seconds;
    input.base_seq = (*ledger)->state().last_seq;
    const std::string run = "run-" + std::to_string(input.base_seq);
    EXPECT_TRUE(queue_->Enqueue(run, RunTasks(input, (*ledger)->state().PendingBatches())).ok());
    return run;
  }

  Result<TaskOutput> Run(const lake::Lake& lake, const lake::ClaimedTask& task,
                         std::function<void()> before_publish = nullptr) {
    TaskContext ctx{lake, *queue_, task, 1, std::move(before_publish)};
    if (task.kind == "map") return RunMapTask(ctx);
    if (task.kind == "reduce") return RunReduceTask(ctx);
    return RunFinalizeTask(ctx);
  }

  void RunAndComplete(const lake::Lake& lake, const lake::ClaimedTask& task) {
    auto out = Run(lake, task);
    ASSERT_TRUE(out.ok()) << task.kind << ": " << out.status().ToString();
    ASSERT_TRUE(queue_->Complete(task, out->result, out->then).ok());
  }

  // What happens while a worker hangs once its files are written: its lease expires, another
  // worker claims the task (a new token), does it and completes it.
  void TakeOver(const lake::Lake& lake, const lake::ClaimedTask& task) {
    ASSERT_TRUE(queue_->connection()
                    ->Exec("UPDATE {s}.tasks SET lease_expires_at = now() - interval '1 second' "
                           "WHERE id = $1",
                           {std::to_string(task.id)})
                    .ok());
    auto again = queue_->Claim("w2", 30);
    ASSERT_TRUE(again.ok() && again->has_value());
    ASSERT_EQ((*again)->id, task.id);
    ASSERT_GT((*again)->token, task.token);
    RunAndComplete(lake, **again);
  }

  // Claims and runs tasks until none is left. With `takeovers`, the first attempt of the first
  // map, reduce and finalize is overtaken (TakeOver) once it has written its files; then its
  // result, or its commit, is refused.
  void Drain(const lake::Lake& lake, bool takeovers) {
    std::map<std::string, bool> overtaken;
    for (int guard = 0; guard < 1000; ++guard) {
      auto claimed = queue_->Claim("w1", 30);
      ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
      if (!claimed->has_value()) return;
      const lake::ClaimedTask task = **claimed;
      if (!takeovers || overtaken[task.kind]) {
        RunAndComplete(lake, task);
        continue;
      }
      overtaken[task.kind] = true;
      auto late = Run(lake, task, [&] { TakeOver(lake, task); });
      if (task.kind == "finalize") {
        ASSERT_FALSE(late.ok());
        EXPECT_NE(late.status().message().find("fencing token"), std::string::npos)
            << late.status().ToString();
      } else {
        ASSERT_TRUE(late.ok()) << late.status().ToString();
        Status refused = queue_->Complete(task, late->result, late->then);
        EXPECT_TRUE(refused.Is(StatusCode::kAborted)) << refused.ToString();
      }
    }
    FAIL() << "the run never drained";
  }

  const lake::PgTestServer* pg_ = nullptr;
  std::string uri_;
  std::unique_ptr<lake::TaskQueue> queue_;
};

TEST_F(TransformTasksTest, SplitRunWritesWhatOneProcessWrites) {
  auto one = io::MemFileSystem::Make();
  auto dist = io::MemFileSystem::Make();
  const std::shared_ptr<lake::Lake> lake = lake::Lake::OnFileSystem(dist);
  for (int round = 0; round < 2; ++round) {
    // Round 0: four batches (one repeating another); round 1: one more, deduped against main.
    const int from = round == 0 ? 0 : 4, to = round == 0 ? 4 : 5;
    SetCommitLogFlag("");
    for (int n = from; n < to; ++n) Land(one, n == 4 ? 7 : n);
    {
      auto lock = lake::LakeLock::Acquire(one, "test");
      auto ledger = lake::Ledger::Open(one, true);
      ASSERT_TRUE(lock.ok() && ledger.ok());
      auto r = RunTransform(one, ledger->get(), Options());
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
    SetCommitLogFlag(uri_);
    for (int n = from; n < to; ++n) Land(dist, n == 4 ? 7 : n);
    const std::string run = Enqueue(dist);
    Drain(*lake, /*takeovers=*/round == 0);
    auto progress = queue_->RunProgress(run);
    ASSERT_TRUE(progress.ok());
    EXPECT_EQ((*progress)["failed"], 0);
    EXPECT_EQ((*progress)["queued"] + (*progress)["running"], 0);
    auto maps = MapResultsOf(*queue_, run);
    ASSERT_TRUE(maps.ok());
    EXPECT_EQ(maps->size(), static_cast<size_t>(to - from));

    SetCommitLogFlag("");
    auto expected = ByTable(one);
    SetCommitLogFlag(uri_);
    auto got = ByTable(dist);
    ASSERT_EQ(got.size(), expected.size());
    for (const auto& [table, files] : expected) {
      EXPECT_TRUE(got[table] == files) << table << " differs";
    }
  }
  // The overtaken attempts' files are named by nothing; vacuum removes them and changes nothing.
  auto ledger = lake::Ledger::Open(dist, true);
  ASSERT_TRUE(ledger.ok());
  auto orphans = (*ledger)->FindOrphans();
  ASSERT_TRUE(orphans.ok());
  EXPECT_FALSE(orphans->empty());
  auto before = ByTable(dist);
  auto lock = lake::LakeLock::Acquire(dist, "test vacuum");
  VacuumOptions v;
  v.min_age_micros = 0;
  auto vacuumed = Vacuum(*dist, **ledger, v);
  ASSERT_TRUE(vacuumed.ok()) << vacuumed.status().ToString();
  EXPECT_EQ(vacuumed->removed.size(), orphans->size());
  EXPECT_TRUE(ByTable(dist) == before);
  auto work = dist->List(lake::kWorkDir);
  ASSERT_TRUE(work.ok());
  EXPECT_TRUE(work->empty());
}

TEST(TransformTaskInputTest, RoundTrips) {
  TransformTaskInput in;
  in.business_utc_offset_seconds = -3600;
  in.now_micros = 42;
  in.rebuild = true;
  in.reference_products = "p.json";
  in.reference_stores = "s.json";
  in.base_seq = 9;
  in.day = -3;
  auto back = TransformTaskInput::Decode(in.Encode());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->Encode(), in.Encode());
  EXPECT_EQ(back->day, -3);
  EXPECT_FALSE(TransformTaskInput::Decode("now=x\n").ok());
}

}  // namespace
}  // namespace saleslake::pipeline::distributed
