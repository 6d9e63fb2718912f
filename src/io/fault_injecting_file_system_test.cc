#include "io/fault_injecting_file_system.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "io/file_system_conformance_test.h"
#include "io/local_file_system.h"
#include "io/mem_file_system.h"
#include "io/test_temp_dir.h"

namespace saleslake::io {
namespace {

// With no fault armed, the wrapper is invisible.
INSTANTIATE_TEST_SUITE_P(FaultPassThrough, FileSystemConformanceTest,
                         ::testing::Values(FileSystemUnderTest{
                             .name = "fault_over_mem",
                             .make_empty = []() -> Result<std::shared_ptr<FileSystem>> {
                               return std::shared_ptr<FileSystem>(
                                   std::make_shared<FaultInjectingFileSystem>(
                                       MemFileSystem::Make()));
                             }}),
                         FileSystemUnderTestName);

TEST(FaultInjectingFileSystemTest, CountsOperationsByKind) {
  auto fs = std::make_shared<FaultInjectingFileSystem>(MemFileSystem::Make());
  ASSERT_TRUE(fs->WriteFile("a.bin", "x").ok());  // open_for_write, append, publish
  ASSERT_TRUE(fs->ReadFile("a.bin").ok());        // open_for_read, read
  ASSERT_TRUE(fs->List("").ok());
  ASSERT_TRUE(fs->Move("a.bin", "b.bin").ok());
  ASSERT_TRUE(fs->DeleteMany({"b.bin", "c.bin"}).ok());
  EXPECT_EQ(fs->OperationCount(fault::kOpenForWrite), 1u);
  EXPECT_EQ(fs->OperationCount(fault::kAppend), 1u);
  EXPECT_EQ(fs->OperationCount(fault::kPublish), 1u);
  EXPECT_EQ(fs->OperationCount(fault::kReadOps), 3u);
  EXPECT_EQ(fs->OperationCount(fault::kMutatingOps), 5u);
  EXPECT_EQ(fs->OperationCount(), 8u);
  const std::vector<std::string> expected = {
      "open_for_write a.bin", "append a.bin", "publish a.bin",       "open_for_read a.bin",
      "read a.bin",           "list ",        "move a.bin -> b.bin", "delete b.bin (+1 more)"};
  EXPECT_EQ(fs->History(), expected);
  fs->ResetCounters();
  EXPECT_EQ(fs->OperationCount(), 0u);
  EXPECT_TRUE(fs->History().empty());
}

TEST(FaultInjectingFileSystemTest, FailsTheNthOperationOnce) {
  auto base = MemFileSystem::Make();
  FaultInjectingFileSystem fs(base);
  fs.FailOperation(2, fault::kPublish);
  EXPECT_TRUE(fs.WriteFile("one.bin", "1").ok());
  Status st = fs.WriteFile("two.bin", "2");
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_NE(st.message().find("injected fault: publish 'two.bin'"), std::string::npos)
      << st.message();
  EXPECT_EQ(base->GetFileInfo("two.bin")->type, FileType::kNotFound)
      << "a failed publish publishes nothing";
  EXPECT_TRUE(fs.WriteFile("three.bin", "3").ok()) << "only once";
  EXPECT_EQ(base->List("")->size(), 2u);
}

TEST(FaultInjectingFileSystemTest, FailedAppendKillsTheWrite) {
  auto base = MemFileSystem::Make();
  FaultInjectingFileSystem fs(base);
  fs.FailOperation(3, fault::kAppend);
  auto w = fs.OpenForWrite("f.bin");
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE((*w)->Append("a").ok());
  EXPECT_TRUE((*w)->Append("b").ok());
  EXPECT_FALSE((*w)->Append("c").ok());
  EXPECT_FALSE((*w)->Close().ok());
  EXPECT_EQ(base->GetFileInfo("f.bin")->type, FileType::kNotFound);
}

TEST(FaultInjectingFileSystemTest, StickyFailuresKeepFailing) {
  FaultInjectingFileSystem fs(MemFileSystem::Make());
  fs.FailOperation(2, fault::kWriteOps, fault::FailMode::kSticky);
  auto w = fs.OpenForWrite("f.bin");  // op 1
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE((*w)->Append("x").ok());  // op 2: fails
  EXPECT_FALSE(fs.OpenForWrite("g.bin").ok());
  EXPECT_FALSE(fs.OpenForWrite("h.bin").ok());
  EXPECT_TRUE(fs.List("").ok()) << "other kinds still work";
  fs.ClearFaults();
  EXPECT_TRUE(fs.WriteFile("h.bin", "h").ok());
}

TEST(FaultInjectingFileSystemTest, AfterEffectFailuresHappenButReportAnError) {
  auto base = MemFileSystem::Make();
  FaultInjectingFileSystem fs(base);
  fs.FailOperation(1, fault::kPublish | fault::kMove, fault::FailMode::kAfterEffect);
  EXPECT_FALSE(fs.WriteFile("f.bin", "published anyway").ok());
  EXPECT_EQ(*base->ReadFile("f.bin"), "published anyway") << "the acknowledgement was lost";
  fs.FailOperation(1, fault::kMove, fault::FailMode::kAfterEffect);
  EXPECT_FALSE(fs.Move("f.bin", "g.bin").ok());
  EXPECT_EQ(base->GetFileInfo("g.bin")->type, FileType::kFile);
}

TEST(FaultInjectingFileSystemTest, FailedReadsListsAndDeletes) {
  auto base = MemFileSystem::Make();
  ASSERT_TRUE(base->WriteFile("f.bin", "data").ok());
  FaultInjectingFileSystem fs(base);
  fs.FailOperation(1, fault::kRead);
  auto r = fs.OpenForRead("f.bin");
  ASSERT_TRUE(r.ok());
  std::string out;
  EXPECT_FALSE((*r)->ReadAt(0, 4, &out).ok());
  EXPECT_TRUE((*r)->ReadAt(0, 4, &out).ok());
  fs.FailOperation(1, fault::kList);
  EXPECT_FALSE(fs.List("").ok());
  fs.FailOperation(1, fault::kDelete);
  EXPECT_FALSE(fs.Delete("f.bin").ok());
  EXPECT_EQ(base->GetFileInfo("f.bin")->type, FileType::kFile);
}

TEST(FaultInjectingFileSystemTest, CrashDropsUnpublishedWritesOnDisk) {
  TestTempDir dir;
  auto disk = *LocalFileSystem::Make(dir.path());
  ASSERT_TRUE(disk->WriteFile("kept.bin", "published before the crash").ok());
  FaultInjectingFileSystem fs(disk);
  auto in_flight = fs.OpenForWrite("lost.bin");
  ASSERT_TRUE(in_flight.ok());
  ASSERT_TRUE((*in_flight)->Append(std::string(2 << 20, 'x')).ok());
  auto reader = fs.OpenForRead("kept.bin");
  ASSERT_TRUE(reader.ok());
  fs.Crash();
  EXPECT_TRUE(fs.crashed());
  // Everything fails now, files opened before the crash included.
  EXPECT_FALSE((*in_flight)->Append("more").ok());
  EXPECT_FALSE((*in_flight)->Close().ok());
  std::string out;
  EXPECT_FALSE((*reader)->ReadAt(0, 1, &out).ok());
  EXPECT_FALSE(fs.List("").ok());
  EXPECT_FALSE(fs.WriteFile("after.bin", "x").ok());
  // "Restart": the disk holds exactly what was published, and no temporary file.
  ListOptions all;
  all.include_temporaries = true;
  auto left = disk->List("", all);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].path, "kept.bin");
}

TEST(FaultInjectingFileSystemTest, CrashAtTheNthOperationStopsRightThere) {
  auto base = MemFileSystem::Make();
  FaultInjectingFileSystem fs(base);
  fs.CrashAtOperation(3, fault::kMutatingOps);
  auto w = fs.OpenForWrite("a.bin");  // 1
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("a").ok());  // 2
  Status st = (*w)->Close();            // 3: crash instead of publishing
  EXPECT_NE(st.message().find("simulated crash"), std::string::npos) << st.ToString();
  EXPECT_TRUE(fs.crashed());
  EXPECT_EQ(base->GetFileInfo("a.bin")->type, FileType::kNotFound);
}

// A crash while several threads write: no deadlock, and every file that survived is whole.
TEST(FaultInjectingFileSystemTest, CrashWhileManyThreadsWrite) {
  auto base = MemFileSystem::Make();
  auto fs = std::make_shared<FaultInjectingFileSystem>(base);
  std::atomic<int> published{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        std::string path = "t" + std::to_string(t) + "/f" + std::to_string(i) + ".bin";
        auto w = fs->OpenForWrite(path);
        if (!w.ok()) return;
        bool ok = true;
        for (int piece = 0; piece < 8 && ok; ++piece)
          ok = (*w)->Append(std::string(1000, 'a' + t)).ok();
        if (!ok || !(*w)->Close().ok()) return;
        ++published;
      }
    });
  }
  while (published.load() < 20) std::this_thread::yield();
  fs->Crash();
  for (auto& th : writers) th.join();
  auto files = base->List("");
  ASSERT_TRUE(files.ok());
  EXPECT_GE(files->size(), 20u);
  for (const FileInfo& f : *files) {
    EXPECT_EQ(f.size, 8000u) << f.path << " is partial";
  }
}

// The pattern of the header comment: crash before every step of a scenario, restart, and check
// that what survived is always a consistent state.
Status Scenario(FileSystem& fs) {
  // Publish two data files, then a manifest naming them, then retire the old manifest.
  SL_RETURN_IF_ERROR(fs.WriteFile("data/a.bin", "A"));
  SL_RETURN_IF_ERROR(fs.WriteFile("data/b.bin", "B"));
  SL_RETURN_IF_ERROR(fs.WriteFile("manifest.new", "data/a.bin,data/b.bin"));
  SL_RETURN_IF_ERROR(fs.Move("manifest.new", "manifest"));
  return fs.DeleteMany({"data/old.bin"});
}

TEST(FaultInjectingFileSystemTest, CrashBeforeEveryStep) {
  auto counting = std::make_shared<FaultInjectingFileSystem>(MemFileSystem::Make());
  ASSERT_TRUE(Scenario(*counting).ok());
  const uint64_t steps = counting->OperationCount(fault::kMutatingOps);
  ASSERT_EQ(steps, 11u);
  for (uint64_t n = 1; n <= steps + 1; ++n) {
    std::shared_ptr<FileSystem> disk = MemFileSystem::Make();
    ASSERT_TRUE(disk->WriteFile("data/old.bin", "OLD").ok());
    auto faulty = std::make_shared<FaultInjectingFileSystem>(disk);
    faulty->CrashAtOperation(n, fault::kMutatingOps);
    Status st = Scenario(*faulty);
    EXPECT_EQ(st.ok(), n == steps + 1) << "crash at " << n;
    // Whatever the crash point, a manifest is either absent or whole and names files that exist.
    auto manifest = disk->ReadFile("manifest");
    if (manifest.ok()) {
      EXPECT_EQ(*manifest, "data/a.bin,data/b.bin") << "crash at " << n;
      EXPECT_EQ(disk->GetFileInfo("data/a.bin")->type, FileType::kFile);
      EXPECT_EQ(disk->GetFileInfo("data/b.bin")->type, FileType::kFile);
    }
    auto listed = disk->List("");
    ASSERT_TRUE(listed.ok());
    for (const FileInfo& f : *listed) {
      EXPECT_NE(f.size, 0u) << f.path << " is partial after a crash at " << n;
    }
    // Restarting on the survivors completes the work.
    ASSERT_TRUE(Scenario(*disk).ok()) << "crash at " << n;
    EXPECT_EQ(disk->List("")->size(), 3u);
  }
}

}  // namespace
}  // namespace saleslake::io
