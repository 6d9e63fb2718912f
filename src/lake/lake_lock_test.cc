#include "lake/lake_lock.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/clock.h"
#include "io/file_system.h"
#include "io/mem_file_system.h"
#include "lake/ledger.h"

namespace saleslake::lake {
namespace {

void ExpectLockedBy(const Result<std::unique_ptr<LakeLock>>& r, std::string_view who) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kAborted);
  EXPECT_NE(r.status().message().find("is locked by"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find(who), std::string::npos) << r.status().ToString();
}

TEST(LakeLockTest, MemLakeOneWriter) {
  auto fs = io::MemFileSystem::Make();
  {
    auto first = LakeLock::Acquire(fs, "saleslake transform");
    ASSERT_TRUE(first.ok());
    ExpectLockedBy(LakeLock::Acquire(fs, "saleslake extract"), "another saleslake process");
  }
  EXPECT_TRUE(LakeLock::Acquire(fs, "saleslake extract").ok());
}

TEST(LakeLockTest, LocalLakeNamesTheHolder) {
  std::string dir = ::testing::TempDir() + "lake-lock-" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  auto fs = io::FileSystemFromUri(dir);
  ASSERT_TRUE(fs.ok()) << fs.status().ToString();
  {
    auto first = LakeLock::Acquire(*fs, "saleslake transform");
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    ExpectLockedBy(LakeLock::Acquire(*fs, "saleslake extract"), "pid " + std::to_string(getpid()));
    ExpectLockedBy(LakeLock::Acquire(*fs, "saleslake extract"), "(saleslake transform)");
  }
  EXPECT_TRUE(LakeLock::Acquire(*fs, "saleslake extract").ok());
  std::filesystem::remove_all(dir);
}

// A wrapper that hides the scheme, so the lease path is used (as on S3).
class OtherScheme : public io::FileSystem {
 public:
  explicit OtherScheme(std::shared_ptr<io::FileSystem> base) : base_(std::move(base)) {}
  std::string_view scheme() const override { return "s3"; }
  std::string root_uri() const override { return "s3://bucket/lake"; }
  Result<io::FileInfo> GetFileInfo(std::string_view p) override { return base_->GetFileInfo(p); }
  Result<std::vector<io::FileInfo>> List(std::string_view p, const io::ListOptions& o) override {
    return base_->List(p, o);
  }
  Result<std::unique_ptr<io::RandomAccessFile>> OpenForRead(std::string_view p) override {
    return base_->OpenForRead(p);
  }
  Result<std::unique_ptr<io::WritableFile>> OpenForWrite(std::string_view p) override {
    return base_->OpenForWrite(p);
  }
  Status Delete(std::string_view p) override { return base_->Delete(p); }
  Status DeleteMany(const std::vector<std::string>& p) override { return base_->DeleteMany(p); }
  Status Move(std::string_view a, std::string_view b) override { return base_->Move(a, b); }
  Status CreateDir(std::string_view p) override { return base_->CreateDir(p); }

 private:
  std::shared_ptr<io::FileSystem> base_;
};

TEST(LakeLockTest, LeaseLock) {
  auto mem = io::MemFileSystem::Make();
  auto fs = std::make_shared<OtherScheme>(mem);
  {
    auto first = LakeLock::Acquire(fs, "saleslake run");
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_TRUE(mem->ReadFile("_ledger/_lock.json").ok());
    ExpectLockedBy(LakeLock::Acquire(fs, "saleslake extract"), "(saleslake run)");
  }
  EXPECT_FALSE(mem->ReadFile("_ledger/_lock.json").ok());  // released
  // An expired lease (a crashed writer) does not block the lake.
  ASSERT_TRUE(mem->WriteFile("_ledger/_lock.json", "tok 1000 pid 1 on gone (old) since then").ok());
  EXPECT_TRUE(LakeLock::Acquire(fs, "saleslake extract").ok());
}

std::string Hostname() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

std::string ThisBootId() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

// The pid of a process that has exited (and been reaped).
int64_t DeadPid() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

std::string Lease(int64_t pid, const std::string& host, const std::string& boot,
                  const std::string& start = "") {
  return fmt::format(
      R"({{"token":"old","expires_micros":{},"pid":{},"host":"{}","boot_id":"{}",)"
      R"("start_time":"{}","purpose":"saleslake extract","since":"2026-11-26T10:00:00.000Z"}})",
      NowMicros() + LakeLock::kLeaseMicros, pid, host, boot, start);
}

// After kill -9 of an extract to S3, its lease blocked every re-run for 15 minutes though the
// holder was provably dead on the same host. Now the lock is taken over.
TEST(LakeLockTest, LeaseOfADeadHolderOnThisHostIsTakenOver) {
  if (ThisBootId().empty()) GTEST_SKIP() << "no boot id on this system";
  auto mem = io::MemFileSystem::Make();
  auto fs = std::make_shared<OtherScheme>(mem);
  const int64_t dead = DeadPid();
  ASSERT_TRUE(mem->WriteFile("_ledger/_lock.json", Lease(dead, Hostname(), ThisBootId())).ok());
  auto lock = LakeLock::Acquire(fs, "saleslake extract");
  ASSERT_TRUE(lock.ok()) << lock.status().ToString();
  EXPECT_NE((*lock)->took_over_from().find("pid " + std::to_string(dead)), std::string::npos);
  EXPECT_EQ(ParseLease(*mem->ReadFile("_ledger/_lock.json")).pid, getpid());
}

// A live pid whose start time differs from the lease's is another process that reuses the pid.
TEST(LakeLockTest, ReusedPidCountsAsDead) {
  if (ThisBootId().empty()) GTEST_SKIP() << "no boot id on this system";
  auto mem = io::MemFileSystem::Make();
  auto fs = std::make_shared<OtherScheme>(mem);
  ASSERT_TRUE(
      mem->WriteFile("_ledger/_lock.json", Lease(getpid(), Hostname(), ThisBootId(), "1")).ok());
  EXPECT_TRUE(LakeLock::Acquire(fs, "saleslake extract").ok());
}

// A live holder, or one on another host or boot, is not provably dead: refused, with the
// lease's expiry and the documented way to break it.
TEST(LakeLockTest, LeaseOfAHolderNotProvablyDeadIsRefusedWithTheWayOut) {
  auto mem = io::MemFileSystem::Make();
  auto fs = std::make_shared<OtherScheme>(mem);
  const int64_t dead = DeadPid();
  for (const std::string& lease :
       {Lease(dead, "another-host", ThisBootId()), Lease(dead, Hostname(), "another-boot"),
        Lease(getpid(), Hostname(), ThisBootId())}) {
    ASSERT_TRUE(mem->WriteFile("_ledger/_lock.json", lease).ok());
    auto r = LakeLock::Acquire(fs, "saleslake extract");
    ExpectLockedBy(r, "(saleslake extract)");
    EXPECT_NE(r.status().message().find("lease expires at"), std::string::npos);
    EXPECT_NE(r.status().message().find("saleslake unlock --lake s3://bucket/lake --force"),
              std::string::npos)
        << r.status().ToString();
  }
  // The holder is still alive: its own lease stays.
  EXPECT_EQ(ParseLease(*mem->ReadFile("_ledger/_lock.json")).token, "old");
}

// `saleslake unlock`: without --force it says who holds the lock; with it, the lease goes and
// the ledger records whose lock was broken.
TEST(LakeLockTest, UnlockForceBreaksTheLeaseAndRecordsItInTheLedger) {
  auto mem = io::MemFileSystem::Make();
  auto fs = std::make_shared<OtherScheme>(mem);
  auto none = UnlockLake(fs, false);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_NE(none->find("not locked"), std::string::npos);
  ASSERT_TRUE(mem->WriteFile("_ledger/_lock.json", Lease(4242, "another-host", "b")).ok());
  auto refused = UnlockLake(fs, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--force"), std::string::npos);
  EXPECT_NE(refused.status().message().find("pid 4242 on another-host"), std::string::npos);
  auto broken = UnlockLake(fs, true);
  ASSERT_TRUE(broken.ok()) << broken.status().ToString();
  EXPECT_NE(broken->find("pid 4242 on another-host"), std::string::npos);
  EXPECT_FALSE(mem->ReadFile("_ledger/_lock.json").ok());  // released after the commit
  auto ledger = Ledger::Open(fs, false);
  ASSERT_TRUE(ledger.ok());
  auto commit = (*ledger)->ReadCommit((*ledger)->state().last_seq);
  ASSERT_TRUE(commit.ok()) << commit.status().ToString();
  EXPECT_EQ(commit->kind, "unlock");
  EXPECT_NE(commit->details_json.find("pid 4242 on another-host"), std::string::npos);
  EXPECT_TRUE(LakeLock::Acquire(fs, "saleslake extract").ok());
}

// A local lake's kernel lock cannot outlive its holder: unlock breaks nothing.
TEST(LakeLockTest, UnlockOnALocalLake) {
  std::string dir = ::testing::TempDir() + "lake-unlock-" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto fs = *io::FileSystemFromUri(dir);
  {
    auto held = LakeLock::Acquire(fs, "saleslake transform");
    ASSERT_TRUE(held.ok());
    auto r = UnlockLake(fs, true);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("nothing to break"), std::string::npos);
  }
  auto r = UnlockLake(fs, true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(r->find("not locked"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace saleslake::lake
