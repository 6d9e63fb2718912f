// The conformance suite, part 2: the namespace — listing, keys, directories, delete and move.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "io/file_system_conformance_test.h"

namespace saleslake::io {
namespace {

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST_P(FileSystemConformanceTest, ListIsRecursiveAndSorted) {
  for (const char* p : {"z.bin", "a/b/c.bin", "a/b.txt", "a/bc/d.bin", "a-b.bin", "a/b/e/f.bin"}) {
    Put(p, p);
  }
  const std::vector<std::string> all = {"a-b.bin",     "a/b.txt",    "a/b/c.bin",
                                        "a/b/e/f.bin", "a/bc/d.bin", "z.bin"};
  EXPECT_EQ(ListPaths(""), all) << "bytewise order, as S3 lists keys";
  auto list = fs_->List("");
  ASSERT_TRUE(list.ok());
  for (const FileInfo& f : *list) {
    EXPECT_EQ(f.type, FileType::kFile);
    EXPECT_EQ(f.size, f.path.size()) << f.path;
  }
  ListOptions shallow;
  shallow.recursive = false;
  EXPECT_EQ(ListPaths("a", shallow), std::vector<std::string>{"a/b.txt"});
  EXPECT_EQ(ListPaths("", shallow), (std::vector<std::string>{"a-b.bin", "z.bin"}));
  shallow.include_directories = true;
  EXPECT_EQ(ListPaths("a", shallow), (std::vector<std::string>{"a/b", "a/b.txt", "a/bc"}));
  if (GetParam().real_directories) {
    ListOptions with_dirs;
    with_dirs.include_directories = true;
    EXPECT_EQ(ListPaths("a/b", with_dirs),
              (std::vector<std::string>{"a/b/c.bin", "a/b/e", "a/b/e/f.bin"}));
  }
}

TEST_P(FileSystemConformanceTest, PrefixIsADirectoryNotAStringPrefix) {
  Put("a/b/in.bin", "1");
  Put("a/bc/out.bin", "2");
  Put("a/b.bin", "3");
  EXPECT_EQ(ListPaths("a/b"), std::vector<std::string>{"a/b/in.bin"});
  EXPECT_EQ(ListPaths("a/b/"), std::vector<std::string>{"a/b/in.bin"});
  EXPECT_EQ(ListPaths("/a/b"), std::vector<std::string>{"a/b/in.bin"});
  EXPECT_TRUE(ListPaths("a/b.bin").empty()) << "a file is not a directory";
  EXPECT_TRUE(ListPaths("a/x").empty());
}

TEST_P(FileSystemConformanceTest, ManyFilesListAndDeleteMany) {
  const int n = GetParam().many_files;
  std::vector<std::string> paths;
  for (int i = 0; i < n; ++i) {
    char name[64];
    std::snprintf(name, sizeof(name), "many/day=%02d/f-%05d.bin", i % 3, i);
    paths.push_back(name);
  }
  // Several writers at once: publication must be safe from many threads.
  std::atomic<int> next{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < n; i = next++) {
        if (!fs_->WriteFile(paths[i], paths[i]).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);
  EXPECT_EQ(ListPaths("many"), Sorted(paths));
  ListOptions shallow;
  shallow.recursive = false;
  auto day1 = ListPaths("many/day=01", shallow);
  EXPECT_EQ(day1.size(), static_cast<size_t>((n + 1) / 3));
  // One call deletes them all (S3 batches by 1000); missing paths are ignored.
  std::vector<std::string> doomed = paths;
  doomed.push_back("many/never-existed.bin");
  Status st = fs_->DeleteMany(doomed);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(ListPaths("many").empty());
}

TEST_P(FileSystemConformanceTest, KeysWithHiveAndUnicodeCharacters) {
  const std::vector<std::string> keys = {
      "raw/sales/year=2026/month=11/day=26/batch-1.parquet",
      "main/store_name=Big Bazaar (Pune)/part 1.parquet",
      "odd/a+b=c&d;e,f@g$h!i'j~k.bin",
      "odd/city=New%20York/x.bin",
      "unicode/café/ünïcødé €.parquet",
      "unicode/日本語/データ.bin",
      "unicode/emoji 🙂/x.bin",
  };
  for (const std::string& k : keys) Put(k, "data of " + k);
  EXPECT_EQ(ListPaths(""), Sorted(keys));
  for (const std::string& k : keys) {
    EXPECT_EQ(Get(k), "data of " + k);
    auto info = fs_->GetFileInfo(k);
    ASSERT_TRUE(info.ok()) << k;
    EXPECT_EQ(info->type, FileType::kFile) << k;
    EXPECT_EQ(info->size, k.size() + 8) << k;
  }
  EXPECT_EQ(ListPaths("main/store_name=Big Bazaar (Pune)"),
            std::vector<std::string>{"main/store_name=Big Bazaar (Pune)/part 1.parquet"});
  ASSERT_TRUE(fs_->Move(keys[4], "unicode/moved ✓.parquet").ok());
  EXPECT_EQ(Get("unicode/moved ✓.parquet"), "data of " + keys[4]);
  ASSERT_TRUE(fs_->Delete(keys[5]).ok());
  EXPECT_EQ(fs_->GetFileInfo(keys[5])->type, FileType::kNotFound);
}

TEST_P(FileSystemConformanceTest, DeleteRemovesOneFile) {
  Put("d/one.bin", "1");
  Put("d/two.bin", "2");
  ASSERT_TRUE(fs_->Delete("d/one.bin").ok());
  EXPECT_EQ(ListPaths("d"), std::vector<std::string>{"d/two.bin"});
  EXPECT_FALSE(fs_->OpenForRead("d/one.bin").ok());
  EXPECT_TRUE(fs_->Delete("d/one.bin").IsNotFound());
  ASSERT_TRUE(fs_->DeleteMany({}).ok());
}

TEST_P(FileSystemConformanceTest, MoveRenamesAndReplaces) {
  Put("from/a.bin", "A");
  Put("to/b.bin", "B");
  ASSERT_TRUE(fs_->Move("from/a.bin", "elsewhere/new/a.bin").ok()) << "creates parents";
  EXPECT_EQ(fs_->GetFileInfo("from/a.bin")->type, FileType::kNotFound);
  EXPECT_EQ(Get("elsewhere/new/a.bin"), "A");
  Status st = fs_->Move("elsewhere/new/a.bin", "to/b.bin");
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(Get("to/b.bin"), "A") << "Move replaces the target";
  EXPECT_EQ(ListPaths(""), std::vector<std::string>{"to/b.bin"});
  EXPECT_EQ(fs_->Move("to/b.bin", "../escape").code(), StatusCode::kInvalidArgument);
}

TEST_P(FileSystemConformanceTest, DirectoriesAreInferredFromFiles) {
  Put("p/q/r.bin", "x");
  auto info = fs_->GetFileInfo("p/q");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->type, FileType::kDirectory);
  EXPECT_EQ(fs_->GetFileInfo("p")->type, FileType::kDirectory);
  EXPECT_FALSE(fs_->OpenForRead("p/q").ok()) << "a directory cannot be read as a file";
  EXPECT_TRUE(fs_->CreateDir("p/q").ok()) << "CreateDir on an existing directory is fine";
  EXPECT_TRUE(fs_->CreateDir("").ok());
}

TEST_P(FileSystemConformanceTest, RealDirectories) {
  if (!GetParam().real_directories) GTEST_SKIP() << "directories are inferred from keys here";
  ASSERT_TRUE(fs_->CreateDir("made/deep/dir").ok());
  EXPECT_EQ(fs_->GetFileInfo("made/deep/dir")->type, FileType::kDirectory);
  ListOptions with_dirs;
  with_dirs.include_directories = true;
  EXPECT_EQ(ListPaths("made", with_dirs), (std::vector<std::string>{"made/deep", "made/deep/dir"}));
  EXPECT_TRUE(ListPaths("made").empty()) << "no files yet";
  Put("made/deep/dir/f.bin", "f");
  EXPECT_FALSE(fs_->Delete("made/deep/dir").ok()) << "a non-empty directory is not deleted";
  ASSERT_TRUE(fs_->Delete("made/deep/dir/f.bin").ok());
  EXPECT_EQ(fs_->GetFileInfo("made/deep/dir")->type, FileType::kDirectory) << "outlives its files";
  ASSERT_TRUE(fs_->Delete("made/deep/dir").ok()) << "an empty directory is deleted";
  EXPECT_EQ(fs_->GetFileInfo("made/deep/dir")->type, FileType::kNotFound);
  Put("plain.bin", "x");
  EXPECT_FALSE(fs_->CreateDir("plain.bin").ok()) << "a file is in the way";
  EXPECT_FALSE(fs_->WriteFile("plain.bin/child.bin", "x").ok()) << "a file cannot be a parent";
  EXPECT_FALSE(fs_->Move("plain.bin", "made").ok()) << "a directory is not replaced by a file";
}

}  // namespace
}  // namespace saleslake::io
