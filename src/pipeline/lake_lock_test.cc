#include "pipeline/lake_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "io/file_system.h"
#include "io/mem_file_system.h"

namespace saleslake::pipeline {
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

}  // namespace
}  // namespace saleslake::pipeline
