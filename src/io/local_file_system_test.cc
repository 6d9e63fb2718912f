#include "io/local_file_system.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "io/file_system_conformance_test.h"
#include "io/path.h"
#include "io/test_temp_dir.h"

namespace saleslake::io {
namespace {

// One temporary directory per conformance test, all removed when the test binary exits.
Result<std::shared_ptr<FileSystem>> MakeEmptyLocal() {
  static auto* dirs = new std::vector<std::unique_ptr<TestTempDir>>();
  static struct Cleanup {
    ~Cleanup() { delete dirs; }
  } cleanup;
  dirs->push_back(std::make_unique<TestTempDir>());
  if (dirs->back()->path().empty()) return Status::IOError("cannot create a temporary directory");
  // The root itself does not exist yet: the first write must create it.
  SL_ASSIGN_OR_RETURN(auto fs, LocalFileSystem::Make(dirs->back()->path() + "/lake root"));
  return std::shared_ptr<FileSystem>(std::move(fs));
}

INSTANTIATE_TEST_SUITE_P(Local, FileSystemConformanceTest,
                         ::testing::Values(FileSystemUnderTest{.name = "local",
                                                               .make_empty = MakeEmptyLocal}),
                         FileSystemUnderTestName);

class LocalFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    fs_ = *LocalFileSystem::Make(dir_.path());
  }
  // Names in the directory on disk, temporary files included.
  std::vector<std::string> OsNames(const std::string& sub = "") {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path() + "/" + sub)) {
      out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  TestTempDir dir_;
  std::shared_ptr<LocalFileSystem> fs_;
};

TEST_F(LocalFileSystemTest, WritesGoThroughAHiddenTemporaryBesideTheTarget) {
  auto writer = fs_->OpenForWrite("day=1/part-0.parquet");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append(std::string(3 << 20, 'x')).ok());
  auto names = OsNames("day=1");
  ASSERT_EQ(names.size(), 1u);
  EXPECT_TRUE(IsTemporaryName(names[0])) << names[0];
  EXPECT_EQ(names[0].substr(0, 5), ".tmp-") << "engines skip names starting with '.'";
  EXPECT_EQ(names[0].find("-part-0.parquet.partial"), names[0].size() - 23)
      << "the temporary keeps the target's name after the random part";
  EXPECT_NE(names[0].substr(names[0].size() - 8), ".parquet") << "engines read *.parquet";
  EXPECT_TRUE(fs_->List("").value().empty());
  ListOptions all;
  all.include_temporaries = true;
  auto orphans = fs_->List("", all);
  ASSERT_TRUE(orphans.ok());
  ASSERT_EQ(orphans->size(), 1u);
  EXPECT_EQ((*orphans)[0].path, "day=1/" + names[0]);
  EXPECT_EQ((*orphans)[0].size, 3u << 20) << "full buffers are already on disk";
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_EQ(OsNames("day=1"), std::vector<std::string>{"part-0.parquet"});
}

// Large files start their writeback every few megabytes while they are written (a hint to the
// kernel): small and large appends, across those points, read back byte for byte.
TEST_F(LocalFileSystemTest, ALargeFileWrittenInPiecesReadsBackWhole) {
  std::string expected;
  auto writer = fs_->OpenForWrite("big.bin");
  ASSERT_TRUE(writer.ok());
  for (size_t i = 0; expected.size() < (21u << 20); ++i) {
    const size_t n = i % 3 == 0 ? (3u << 20) + i : 1000 + 37 * i;
    std::string piece(n, static_cast<char>('a' + i % 26));
    ASSERT_TRUE((*writer)->Append(piece).ok());
    expected += piece;
  }
  ASSERT_TRUE((*writer)->Close().ok());
  auto got = fs_->ReadFile("big.bin");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == expected);
}

TEST_F(LocalFileSystemTest, OrphansCanBeDeletedByPath) {
  std::ofstream(dir_.path() + "/.tmp-0123456789abcdef-x.parquet.partial") << "partial";
  std::ofstream(dir_.path() + "/.hidden") << "a user's dot file is listed";
  EXPECT_EQ(fs_->List("").value().size(), 1u);
  ListOptions all;
  all.include_temporaries = true;
  auto orphans = fs_->List("", all);
  ASSERT_TRUE(orphans.ok());
  ASSERT_EQ(orphans->size(), 2u);
  EXPECT_EQ((*orphans)[1].path, ".tmp-0123456789abcdef-x.parquet.partial");
  ASSERT_TRUE(fs_->Delete((*orphans)[1].path).ok());
  EXPECT_EQ(OsNames(), std::vector<std::string>{".hidden"});
}

TEST_F(LocalFileSystemTest, ErrorsNameTheOperatingSystemPath) {
  auto r = fs_->OpenForRead("missing/file.parquet");
  ASSERT_TRUE(r.status().IsNotFound());
  EXPECT_NE(r.status().message().find(dir_.path() + "/missing/file.parquet"), std::string::npos)
      << r.status().message();
  ASSERT_TRUE(fs_->CreateDir("adir").ok());
  auto d = fs_->OpenForRead("adir");
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find("directory"), std::string::npos) << d.status().message();
}

TEST_F(LocalFileSystemTest, PermissionDeniedIsReported) {
  ASSERT_TRUE(fs_->CreateDir("locked").ok());
  ASSERT_TRUE(fs_->WriteFile("secret.bin", "s").ok());
  ASSERT_EQ(::chmod((dir_.path() + "/locked").c_str(), 0500), 0);
  ASSERT_EQ(::chmod((dir_.path() + "/secret.bin").c_str(), 0000), 0);
  // Root ignores permissions, so as root the check runs in a child that became "nobody".
  auto check = [&]() -> std::string {
    auto w = fs_->OpenForWrite("locked/x.bin");
    if (w.status().code() != StatusCode::kPermissionDenied)
      return "write: " + w.status().ToString();
    if (w.status().message().find(dir_.path()) == std::string::npos) return w.status().message();
    auto r = fs_->OpenForRead("secret.bin");
    if (r.status().code() != StatusCode::kPermissionDenied) return "read: " + r.status().ToString();
    if (r.status().message().find("secret.bin") == std::string::npos) return r.status().message();
    return "";
  };
  if (::geteuid() != 0) {
    EXPECT_EQ(check(), "");
  } else {
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
      std::string problem = check();
      if (!problem.empty()) std::fprintf(stderr, "%s\n", problem.c_str());
      ::_exit(problem.empty() ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "see the child's message above";
  }
  ::chmod((dir_.path() + "/locked").c_str(), 0700);
}

TEST_F(LocalFileSystemTest, RootMustBeAbsolute) {
  EXPECT_EQ(LocalFileSystem::Make("relative/lake").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LocalFileSystem::Make("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*LocalFileSystem::Make("/data/lake/"))->root_uri(), "file:///data/lake");
  EXPECT_EQ((*LocalFileSystem::Make("/"))->OsPath("a/b"), "/a/b");
}

TEST_F(LocalFileSystemTest, MoveRefusesDirectories) {
  ASSERT_TRUE(fs_->WriteFile("d/f.bin", "x").ok());
  EXPECT_EQ(fs_->Move("d", "e").code(), StatusCode::kInvalidArgument);
}

TEST_F(LocalFileSystemTest, SpecialFilesAreNotListed) {
  ASSERT_EQ(::mkfifo((dir_.path() + "/a.fifo").c_str(), 0600), 0);
  ASSERT_TRUE(fs_->WriteFile("b.bin", "b").ok());
  auto list = fs_->List("");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].path, "b.bin");
}

// kill -9 in the middle of a write leaves no visible file, only an orphan that List hides.
TEST_F(LocalFileSystemTest, KilledWriterLeavesOnlyAHiddenOrphan) {
  ASSERT_TRUE(fs_->WriteFile("main/part-0.parquet", "old version").ok());
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child writes a new version and a new file, then waits to be killed mid-write.
    auto a = fs_->OpenForWrite("main/part-0.parquet");
    auto b = fs_->OpenForWrite("main/part-1.parquet");
    if (!a.ok() || !b.ok()) ::_exit(1);
    std::string chunk(4 << 20, 'n');
    if (!(*a)->Append(chunk).ok() || !(*b)->Append(chunk).ok()) ::_exit(1);
    if (::write(ready[1], "r", 1) != 1) ::_exit(1);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1) << "the child failed before it was ready";
  ::close(ready[0]);
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));

  EXPECT_EQ(*fs_->ReadFile("main/part-0.parquet"), "old version");
  EXPECT_EQ(fs_->GetFileInfo("main/part-1.parquet")->type, FileType::kNotFound);
  auto visible = fs_->List("");
  ASSERT_TRUE(visible.ok());
  ASSERT_EQ(visible->size(), 1u);
  EXPECT_EQ((*visible)[0].path, "main/part-0.parquet");
  ListOptions all;
  all.include_temporaries = true;
  auto everything = fs_->List("", all);
  ASSERT_TRUE(everything.ok());
  ASSERT_EQ(everything->size(), 3u) << "two orphans and the old file";
  int orphans = 0;
  for (const FileInfo& f : *everything) {
    if (IsTemporaryName(BaseName(f.path))) {
      ++orphans;
      EXPECT_EQ(f.size, 4u << 20);
      EXPECT_EQ(f.path.find("main/.tmp-"), 0u) << f.path;
    }
  }
  EXPECT_EQ(orphans, 2);
}

}  // namespace
}  // namespace saleslake::io
