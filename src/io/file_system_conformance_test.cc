// The conformance suite, part 1: the fixture, reading, writing and atomic publication.
#include "io/file_system_conformance_test.h"

#include <atomic>
#include <thread>
#include <vector>

#include "base/clock.h"

namespace saleslake::io {

std::string FileSystemUnderTestName(const ::testing::TestParamInfo<FileSystemUnderTest>& info) {
  return info.param.name;
}

void PrintTo(const FileSystemUnderTest& target, std::ostream* os) { *os << target.name; }

void FileSystemConformanceTest::SetUp() {
  auto fs = GetParam().make_empty();
  ASSERT_TRUE(fs.ok()) << fs.status().ToString();
  fs_ = std::move(fs).value();
}

void FileSystemConformanceTest::TearDown() { fs_.reset(); }

void FileSystemConformanceTest::Put(const std::string& path, std::string_view data) {
  Status st = fs_->WriteFile(path, data);
  ASSERT_TRUE(st.ok()) << path << ": " << st.ToString();
}

std::string FileSystemConformanceTest::Get(const std::string& path) {
  auto data = fs_->ReadFile(path);
  EXPECT_TRUE(data.ok()) << path << ": " << data.status().ToString();
  return data.ok() ? *data : std::string();
}

std::vector<std::string> FileSystemConformanceTest::ListPaths(const std::string& prefix,
                                                              const ListOptions& options) {
  auto list = fs_->List(prefix, options);
  EXPECT_TRUE(list.ok()) << prefix << ": " << list.status().ToString();
  std::vector<std::string> out;
  if (list.ok()) {
    for (const FileInfo& f : *list) out.push_back(f.path);
  }
  return out;
}

namespace {

// Deterministic bytes that differ at every offset, so a misplaced range shows.
std::string Pattern(size_t size, uint64_t seed) {
  std::string out(size, '\0');
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<char>(x);
  }
  return out;
}

TEST_P(FileSystemConformanceTest, EmptyFileSystemHasNothing) {
  EXPECT_TRUE(ListPaths("").empty());
  auto info = fs_->GetFileInfo("nothing/here.parquet");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->type, FileType::kNotFound);
}

TEST_P(FileSystemConformanceTest, WriteThenReadBack) {
  const int64_t before = NowMicros();
  Put("raw/sales/part-0.parquet", "hello, lake");
  EXPECT_EQ(Get("raw/sales/part-0.parquet"), "hello, lake");
  auto info = fs_->GetFileInfo("raw/sales/part-0.parquet");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->type, FileType::kFile);
  EXPECT_EQ(info->size, 11u);
  EXPECT_EQ(info->path, "raw/sales/part-0.parquet");
  // Clocks of a server may differ a little from ours; a day is a sanity bound, not a timing test.
  constexpr int64_t kDay = 86400LL * 1000000;
  EXPECT_GT(info->mtime_micros, before - kDay);
  EXPECT_LT(info->mtime_micros, NowMicros() + kDay);
  // A leading '/' names the same key.
  EXPECT_EQ(Get("/raw/sales/part-0.parquet"), "hello, lake");
}

TEST_P(FileSystemConformanceTest, EmptyFile) {
  Put("empty.bin", "");
  auto info = fs_->GetFileInfo("empty.bin");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->type, FileType::kFile);
  EXPECT_EQ(info->size, 0u);
  auto file = fs_->OpenForRead("empty.bin");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ((*file)->Size(), 0u);
  std::string out = "junk";
  EXPECT_TRUE((*file)->ReadAt(0, 0, &out).ok());
  EXPECT_EQ(out, "");
  EXPECT_FALSE((*file)->ReadAt(0, 1, &out).ok());
}

TEST_P(FileSystemConformanceTest, MissingPathsAreNotFound) {
  auto file = fs_->OpenForRead("no/such/file.parquet");
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(file.status().IsNotFound()) << file.status().ToString();
  EXPECT_NE(file.status().message().find("file.parquet"), std::string::npos)
      << "the error should name the path: " << file.status().message();
  Status del = fs_->Delete("no/such/file.parquet");
  EXPECT_TRUE(del.IsNotFound()) << del.ToString();
  Status mv = fs_->Move("no/such/file.parquet", "elsewhere.parquet");
  EXPECT_TRUE(mv.IsNotFound()) << mv.ToString();
  EXPECT_TRUE(ListPaths("no/such").empty());
  EXPECT_EQ(fs_->GetFileInfo("elsewhere.parquet")->type, FileType::kNotFound);
}

TEST_P(FileSystemConformanceTest, ReadAtRanges) {
  const std::string data = Pattern(1000, 1);
  Put("ranges.bin", data);
  auto file = fs_->OpenForRead("ranges.bin");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ((*file)->Size(), 1000u);
  EXPECT_EQ((*file)->path(), "ranges.bin");
  std::string out;
  const std::pair<uint64_t, uint64_t> ranges[] = {{0, 10},  {990, 10}, {123, 456}, {0, 1000},
                                                  {500, 0}, {1000, 0}, {999, 1}};
  for (auto [offset, length] : ranges) {
    ASSERT_TRUE((*file)->ReadAt(offset, length, &out).ok()) << offset << "+" << length;
    EXPECT_EQ(out, data.substr(offset, length)) << offset << "+" << length;
  }
  for (auto [offset, length] :
       {std::pair<uint64_t, uint64_t>{995, 10}, {1001, 0}, {2000, 1}, {1, UINT64_MAX}}) {
    Status st = (*file)->ReadAt(offset, length, &out);
    ASSERT_FALSE(st.ok()) << "reading past the end must fail: " << offset << "+" << length;
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
    EXPECT_NE(st.message().find("ranges.bin"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("1000"), std::string::npos)
        << "should give the size: " << st.message();
  }
}

TEST_P(FileSystemConformanceTest, ConcurrentReadAtOnOneFile) {
  const std::string data = Pattern(256 * 1024, 2);
  Put("shared.bin", data);
  auto file = fs_->OpenForRead("shared.bin");
  ASSERT_TRUE(file.ok());
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::string out;
      for (int i = 0; i < 20; ++i) {
        uint64_t offset = (static_cast<uint64_t>(t) * 7919 + i * 104729) % (data.size() - 4096);
        if (!(*file)->ReadAt(offset, 4096, &out).ok() || out != data.substr(offset, 4096))
          ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_P(FileSystemConformanceTest, LargeFileInManyAppends) {
  const std::string data = Pattern(20 << 20, 3);
  auto writer = fs_->OpenForWrite("big/large.bin");
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  // Uneven pieces: tiny ones, ones that straddle buffer and part boundaries, and one huge one.
  const size_t pieces[] = {1, 4095, 4097, (1 << 20) + 1, 7 << 20, 3, (5 << 20) - 7};
  size_t offset = 0;
  for (size_t i = 0; offset < data.size(); ++i) {
    size_t n = std::min(pieces[i % std::size(pieces)], data.size() - offset);
    ASSERT_TRUE((*writer)->Append(std::string_view(data).substr(offset, n)).ok());
    offset += n;
    EXPECT_EQ((*writer)->BytesWritten(), offset);
  }
  Status st = (*writer)->Close();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(fs_->GetFileInfo("big/large.bin")->size, data.size());
  auto file = fs_->OpenForRead("big/large.bin");
  ASSERT_TRUE(file.ok());
  std::string out;
  ASSERT_TRUE((*file)->ReadAt((8 << 20) - 5, 10, &out).ok());
  EXPECT_EQ(out, data.substr((8 << 20) - 5, 10));
  ASSERT_TRUE((*file)->ReadAt(0, data.size(), &out).ok());
  EXPECT_TRUE(out == data) << "20 MiB read back differs";
}

TEST_P(FileSystemConformanceTest, OverwriteReplacesWholeFile) {
  Put("v.bin", Pattern(5000, 4));
  Put("v.bin", "short");
  EXPECT_EQ(Get("v.bin"), "short");
  EXPECT_EQ(fs_->GetFileInfo("v.bin")->size, 5u);
  Put("v.bin", Pattern(7000, 5));
  EXPECT_EQ(Get("v.bin"), Pattern(7000, 5));
}

TEST_P(FileSystemConformanceTest, OpenReaderDuringOverwrite) {
  const std::string old_data = Pattern(3000, 6);
  Put("pinned.bin", old_data);
  auto reader = fs_->OpenForRead("pinned.bin");
  ASSERT_TRUE(reader.ok());
  Put("pinned.bin", Pattern(5000, 7));
  std::string out;
  Status st = (*reader)->ReadAt(0, old_data.size(), &out);
  if (GetParam().open_files_keep_old_contents) {
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_TRUE(out == old_data);
  } else if (st.ok()) {
    EXPECT_TRUE(out == old_data) << "a reader saw a mix of the old and the new file";
  }
}

// A reader racing an overwriting writer sees either a whole old version or a whole new one.
TEST_P(FileSystemConformanceTest, OverwriteIsAtomicForConcurrentReaders) {
  // Version v has size 20000 + 4099 * v and every byte equal to 'a' + v.
  auto version = [](int v) { return std::string(20000 + 4099 * v, static_cast<char>('a' + v)); };
  Put("hot.bin", version(0));
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, whole_reads{0}, torn_reads{0};
  std::string first_torn;
  std::thread reader([&] {
    while (!done) {
      auto data = fs_->ReadFile("hot.bin");
      ++reads;
      if (!data.ok()) {
        if (GetParam().open_files_keep_old_contents) ++torn_reads;  // local and mem never fail
        continue;
      }
      int v = data->empty() ? -1 : (*data)[0] - 'a';
      if (v >= 0 && v < 26 && *data == version(v)) {
        ++whole_reads;
      } else if (torn_reads++ == 0) {
        first_torn = "size " + std::to_string(data->size());
      }
    }
  });
  // Start overwriting once the reader is reading.
  while (reads.load() == 0) std::this_thread::yield();
  for (int v = 1; v < 26; ++v) {
    Status st = fs_->WriteFile("hot.bin", version(v));
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  done = true;
  reader.join();
  EXPECT_EQ(torn_reads.load(), 0) << "first torn read: " << first_torn;
  EXPECT_GT(whole_reads.load(), 0);
  EXPECT_EQ(Get("hot.bin"), version(25));
}

TEST_P(FileSystemConformanceTest, UnpublishedWriteIsInvisible) {
  auto writer = fs_->OpenForWrite("wip/part-1.parquet");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append(Pattern(3 << 20, 8)).ok());
  EXPECT_EQ(fs_->GetFileInfo("wip/part-1.parquet")->type, FileType::kNotFound);
  EXPECT_TRUE(ListPaths("wip").empty());
  EXPECT_FALSE(fs_->OpenForRead("wip/part-1.parquet").ok());
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_EQ(ListPaths("wip"), std::vector<std::string>{"wip/part-1.parquet"});
  // Nothing of the write is left behind, not even a temporary file.
  ListOptions all;
  all.include_temporaries = true;
  EXPECT_EQ(ListPaths("wip", all), std::vector<std::string>{"wip/part-1.parquet"});
}

TEST_P(FileSystemConformanceTest, AbortLeavesNothingAndKeepsThePreviousVersion) {
  Put("keep/a.bin", "version one");
  auto writer = fs_->OpenForWrite("keep/a.bin");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append(Pattern(2 << 20, 9)).ok());
  ASSERT_TRUE((*writer)->Abort().ok());
  EXPECT_TRUE((*writer)->Abort().ok()) << "Abort is idempotent";
  EXPECT_FALSE((*writer)->Append("more").ok());
  EXPECT_FALSE((*writer)->Close().ok()) << "Close after Abort must not publish";
  EXPECT_EQ(Get("keep/a.bin"), "version one");

  auto fresh = fs_->OpenForWrite("keep/b.bin");
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE((*fresh)->Append("never").ok());
  ASSERT_TRUE((*fresh)->Abort().ok());
  ListOptions all;
  all.include_temporaries = true;
  EXPECT_EQ(ListPaths("keep", all), std::vector<std::string>{"keep/a.bin"});
}

TEST_P(FileSystemConformanceTest, DestroyingAnUnclosedWriterLeavesNothing) {
  {
    auto writer = fs_->OpenForWrite("dropped/x.parquet");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(Pattern(100000, 10)).ok());
  }
  EXPECT_EQ(fs_->GetFileInfo("dropped/x.parquet")->type, FileType::kNotFound);
  ListOptions all;
  all.include_temporaries = true;
  EXPECT_TRUE(ListPaths("dropped", all).empty());
}

TEST_P(FileSystemConformanceTest, ClosedWriterAcceptsNoMoreCalls) {
  auto writer = fs_->OpenForWrite("once.bin");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append("abc").ok());
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_FALSE((*writer)->Append("def").ok());
  EXPECT_FALSE((*writer)->Close().ok());
  EXPECT_TRUE((*writer)->Abort().ok()) << "Abort after Close is a no-op";
  EXPECT_EQ(Get("once.bin"), "abc") << "Abort after Close must not remove the published file";
}

TEST_P(FileSystemConformanceTest, InvalidPathsAreRefused) {
  for (const char* bad : {"../x", "a/../b", "./a", "a/./b", "a//b", "a/..", ""}) {
    auto w = fs_->OpenForWrite(bad);
    ASSERT_FALSE(w.ok()) << "'" << bad << "' should be refused";
    EXPECT_EQ(w.status().code(), StatusCode::kInvalidArgument)
        << bad << ": " << w.status().ToString();
    auto r = fs_->OpenForRead(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  // Names of in-progress writes are reserved: a published file must never look like an orphan.
  auto w = fs_->OpenForWrite("d/.tmp-0123456789abcdef-x.parquet.partial");
  EXPECT_EQ(w.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ListPaths("").empty());
}

}  // namespace
}  // namespace saleslake::io
