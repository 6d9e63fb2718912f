// The FileSystem conformance suite: the same tests for every implementation (local, mem, the
// fault-injecting wrapper, S3 against real S3 servers), so that a lake behaves the same wherever
// it lives. An implementation joins by linking `sl_io_conformance` into its test binary and
// instantiating the suite with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Mem, FileSystemConformanceTest,
//       ::testing::Values(FileSystemUnderTest{
//           .name = "mem",
//           .make_empty = []() -> Result<std::shared_ptr<FileSystem>> {
//             return std::shared_ptr<FileSystem>(MemFileSystem::Make());
//           }}),
//       FileSystemUnderTestName);
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "io/file_system.h"

namespace saleslake::io {

struct FileSystemUnderTest {
  std::string name;  // part of the test names: letters, digits and '_' only
  // A new, empty file system (a fresh directory, store or key prefix) for one test. Called once
  // per test; the returned file system is dropped at the end of the test.
  std::function<Result<std::shared_ptr<FileSystem>>()> make_empty;
  // Files in the listing test; keep it above 1000 so S3 lists need continuation tokens.
  int many_files = 2500;
  // Directories exist on their own (local, mem): CreateDir makes an empty one, it shows in
  // listings with include_directories, and it outlives its files. S3 only infers them from keys.
  bool real_directories = true;
  // A RandomAccessFile opened before an overwrite keeps reading the old bytes (local: the old
  // inode; mem: the old buffer). Without it, such a read must fail or return the old bytes — never
  // a mix.
  bool open_files_keep_old_contents = true;
};

// gtest prints a parameter by its name (instead of its bytes) in failure messages.
void PrintTo(const FileSystemUnderTest& target, std::ostream* os);

// For INSTANTIATE_TEST_SUITE_P: names each instance after FileSystemUnderTest::name.
std::string FileSystemUnderTestName(const ::testing::TestParamInfo<FileSystemUnderTest>& info);

class FileSystemConformanceTest : public ::testing::TestWithParam<FileSystemUnderTest> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Writes `data` to `path` and fails the test if that does not work.
  void Put(const std::string& path, std::string_view data);
  // The file's contents, or a failure of the test.
  std::string Get(const std::string& path);
  // Paths returned by List(prefix, options).
  std::vector<std::string> ListPaths(const std::string& prefix, const ListOptions& options = {});

  std::shared_ptr<FileSystem> fs_;
};

}  // namespace saleslake::io
