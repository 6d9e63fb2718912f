// The lake lock on a real S3 server (moto on loopback): a lease left by a writer killed on this
// host is taken over at once; a lease of another host is refused with its expiry and the way to
// break it; `saleslake unlock --force` breaks it and records that in the ledger.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "base/clock.h"
#include "io/s3/s3_factory.h"
#include "io/s3/s3_test_server.h"
#include "lake/lake_lock.h"
#include "lake/ledger.h"

namespace saleslake::pipeline {
namespace {

using io::s3::testing::S3ServerKind;

std::string Lease(int64_t pid, const std::string& host, const std::string& boot) {
  return fmt::format(
      R"({{"token":"old","expires_micros":{},"pid":{},"host":"{}","boot_id":"{}",)"
      R"("start_time":"","purpose":"saleslake extract","since":"2026-11-26T10:00:00.000Z"}})",
      NowMicros() + lake::LakeLock::kLeaseMicros, pid, host, boot);
}

TEST(LakeLockS3, DeadHolderTakenOverOthersRefusedUnlockRecorded) {
  auto server = io::s3::testing::SharedS3TestServer(S3ServerKind::kMoto);
  if (!server.ok()) GTEST_SKIP() << server.status().ToString();
  const std::string bucket = io::s3::testing::UniqueBucketName();
  ASSERT_TRUE((*server)->CreateBucket(bucket).ok());
  auto s3 = io::s3::S3FileSystemFromUri("s3://" + bucket + "/lake", (*server)->Config());
  ASSERT_TRUE(s3.ok()) << s3.status().ToString();
  std::shared_ptr<io::FileSystem> fs = *s3;

  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string boot;
  std::getline(std::ifstream("/proc/sys/kernel/random/boot_id"), boot);
  if (boot.empty()) GTEST_SKIP() << "no boot id on this system";
  pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);

  // kill -9 of an extract on this host: its lease is taken over at once.
  ASSERT_TRUE(fs->WriteFile(lake::LeasePath(), Lease(child, host, boot)).ok());
  {
    auto lock = lake::LakeLock::Acquire(fs, "saleslake extract");
    ASSERT_TRUE(lock.ok()) << lock.status().ToString();
    EXPECT_NE((*lock)->took_over_from().find(std::to_string(child)), std::string::npos);
  }
  EXPECT_TRUE(fs->ReadFile(lake::LeasePath()).status().IsNotFound());  // released

  // A holder on another machine: refused with the way out, then broken by hand.
  ASSERT_TRUE(fs->WriteFile(lake::LeasePath(), Lease(child, "other-host", boot)).ok());
  auto refused = lake::LakeLock::Acquire(fs, "saleslake extract");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("lease expires at"), std::string::npos);
  EXPECT_NE(
      refused.status().message().find("saleslake unlock --lake s3://" + bucket + "/lake --force"),
      std::string::npos)
      << refused.status().ToString();
  auto broken = lake::UnlockLake(fs, true);
  ASSERT_TRUE(broken.ok()) << broken.status().ToString();
  auto ledger = lake::Ledger::Open(fs, false);
  ASSERT_TRUE(ledger.ok());
  auto commit = (*ledger)->ReadCommit((*ledger)->state().last_seq);
  ASSERT_TRUE(commit.ok()) << commit.status().ToString();
  EXPECT_EQ(commit->kind, "unlock");
  EXPECT_NE(commit->details_json.find("other-host"), std::string::npos);
  EXPECT_TRUE(lake::LakeLock::Acquire(fs, "saleslake extract").ok());
}

}  // namespace
}  // namespace saleslake::pipeline
