#include "io/mem_file_system.h"

#include <gtest/gtest.h>

#include "io/file_system_conformance_test.h"
#include "io/uri.h"

namespace saleslake::io {
namespace {

INSTANTIATE_TEST_SUITE_P(Mem, FileSystemConformanceTest,
                         ::testing::Values(FileSystemUnderTest{
                             .name = "mem",
                             .make_empty = []() -> Result<std::shared_ptr<FileSystem>> {
                               return std::shared_ptr<FileSystem>(MemFileSystem::Make());
                             }}),
                         FileSystemUnderTestName);

// A view of a named store under a prefix must behave like a whole file system too.
INSTANTIATE_TEST_SUITE_P(MemPrefix, FileSystemConformanceTest,
                         ::testing::Values(FileSystemUnderTest{
                             .name = "mem_prefix",
                             .make_empty = []() -> Result<std::shared_ptr<FileSystem>> {
                               static int counter = 0;
                               std::string name = "conformance-" + std::to_string(++counter);
                               MemFileSystem::ForgetNamed(name);
                               SL_ASSIGN_OR_RETURN(auto fs,
                                                   MemFileSystem::Named(name, "lake/root"));
                               // A neighbour beside the prefix must never show through.
                               SL_ASSIGN_OR_RETURN(auto whole, MemFileSystem::Named(name));
                               SL_RETURN_IF_ERROR(
                                   whole->WriteFile("lake/rootx/neighbour.bin", "n"));
                               SL_RETURN_IF_ERROR(whole->WriteFile("outside.bin", "o"));
                               return std::shared_ptr<FileSystem>(std::move(fs));
                             }}),
                         FileSystemUnderTestName);

TEST(MemFileSystemTest, SameNameIsTheSameStore) {
  auto a = FileSystemFromUri("mem://same-name-test");
  auto b = FileSystemFromUri("mem://same-name-test");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->WriteFile("x/y.bin", "shared").ok());
  EXPECT_EQ(*(*b)->ReadFile("x/y.bin"), "shared");
  auto other = FileSystemFromUri("mem://other-name-test");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)->GetFileInfo("x/y.bin")->type, FileType::kNotFound);
}

TEST(MemFileSystemTest, PrefixViewsShareTheStore) {
  auto lake = FileSystemFromUri("mem://prefix-test/lakes/one");
  ASSERT_TRUE(lake.ok());
  EXPECT_EQ((*lake)->root_uri(), "mem://prefix-test/lakes/one");
  ASSERT_TRUE((*lake)->WriteFile("main/a.bin", "a").ok());
  auto whole = FileSystemFromUri("mem://prefix-test");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(*(*whole)->ReadFile("lakes/one/main/a.bin"), "a");
  auto again = FileSystemFromUri((*lake)->root_uri());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*(*again)->ReadFile("main/a.bin"), "a");
}

TEST(MemFileSystemTest, PrivateStoresAreReachableByUriWhileAlive) {
  auto fs = MemFileSystem::Make();
  ASSERT_TRUE(fs->WriteFile("f.bin", "private").ok());
  auto same = FileSystemFromUri(fs->root_uri());
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*(*same)->ReadFile("f.bin"), "private");
  auto fresh = MemFileSystem::Make();
  EXPECT_NE(fresh->root_uri(), fs->root_uri());
}

TEST(MemFileSystemTest, ForgetNamedStartsOver) {
  auto a = MemFileSystem::Named("forget-test");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE((*a)->WriteFile("f.bin", "x").ok());
  MemFileSystem::ForgetNamed("forget-test");
  auto b = MemFileSystem::Named("forget-test");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->GetFileInfo("f.bin")->type, FileType::kNotFound);
  EXPECT_EQ(*(*a)->ReadFile("f.bin"), "x") << "old users keep their store";
}

TEST(MemFileSystemTest, ReadersKeepTheBytesTheyOpened) {
  auto fs = MemFileSystem::Make();
  ASSERT_TRUE(fs->WriteFile("f.bin", "old").ok());
  auto reader = fs->OpenForRead("f.bin");
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(fs->Delete("f.bin").ok());
  std::string out;
  ASSERT_TRUE((*reader)->ReadAt(0, 3, &out).ok());
  EXPECT_EQ(out, "old");
}

}  // namespace
}  // namespace saleslake::io
