// Hostile files: the broken corpus (broken_corpus.h) and dense sweeps of truncations and flipped
// bytes must give errors — clear ones, naming the file — and never crash (the sanitizer build runs
// these too), hang or allocate what a lying header claims.
//
// tests/parquet/broken/ holds the corpus's must-fail files and index.tsv (file, expected error
// code). To regenerate them after changing the builder or the corpus:
//   SALESLAKE_WRITE_BROKEN_CORPUS=tests/parquet/broken
//     build/src/parquet/sl_parquet_reader_test --gtest_filter='BrokenCorpus.*'
#include "parquet/reader/broken_corpus.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "parquet/reader/buffer_file.h"
#include "parquet/reader/file_reader.h"
#include "parquet/reader/test_file_builder.h"

namespace saleslake::parquet::testing {
namespace {

namespace fs = std::filesystem;
using compress::CodecType;

TEST(TestFileBuilder, GoodFilesReadBackInEveryShape) {
  for (CodecType codec : {CodecType::kUncompressed, CodecType::kSnappy, CodecType::kGzip,
                          CodecType::kZstd, CodecType::kLz4Raw, CodecType::kLz4}) {
    for (bool v2 : {false, true}) {
      SCOPED_TRACE(std::string(compress::CodecTypeName(codec)) + (v2 ? " v2" : " v1"));
      BuildOptions o;
      o.codec = codec;
      o.data_page_v2 = v2;
      o.rows_per_page = 17;
      BuiltFile built = BuildTestFile(o);
      auto reader = ParquetFileReader::Open(std::make_shared<BufferFile>("good", built.bytes));
      ASSERT_TRUE(reader.ok()) << reader.status().ToString();
      int64_t base = 0;
      for (int rg = 0; rg < (*reader)->num_row_groups(); ++rg) {
        auto columns = (*reader)->ReadRowGroup(rg, {0, 1, 2});
        ASSERT_TRUE(columns.ok()) << columns.status().ToString();
        for (int64_t i = 0; i < (*columns)[0].length; ++i) {
          const int64_t row = base + i;
          ASSERT_EQ((*columns)[0].int64s[i], row);
          ASSERT_EQ((*columns)[1].IsNull(i), !ExpectedName(row).has_value());
          if (ExpectedName(row)) {
            ASSERT_EQ((*columns)[1].binaries[i], *ExpectedName(row));
          }
          ASSERT_EQ((*columns)[2].IsNull(i), !ExpectedPrice(row).has_value());
          if (ExpectedPrice(row)) {
            ASSERT_EQ((*columns)[2].int64s[i], *ExpectedPrice(row));
          }
        }
        base += (*columns)[0].length;
      }
      EXPECT_EQ(base, 200);
      EXPECT_TRUE(ReadEverything("good", built.bytes).ok());
    }
  }
}

TEST(BrokenCorpus, EveryMutantIsAClearErrorOrStillValid) {
  int failed = 0;
  int files = 0;
  for (const NamedFile& f : MakeBrokenCorpus()) {
    ++files;
    Status s = ReadEverything(f.name, f.bytes);
    if (MustFail(f.name)) {
      EXPECT_FALSE(s.ok()) << f.name << " read without an error";
    }
    if (!s.ok()) {
      ++failed;
      EXPECT_NE(s.code(), StatusCode::kInternal) << f.name << ": " << s.ToString();
      // Every message names the file, so a person knows which one of many is bad.
      EXPECT_NE(s.message().find(f.name), std::string::npos) << s.ToString();
    }
  }
  EXPECT_GT(failed, 300);
  std::printf("broken corpus: %d files, %d errors\n", files, failed);
}

TEST(BrokenCorpus, SpecificLiesGiveSpecificErrors) {
  std::map<std::string, std::string> bytes;
  for (NamedFile& f : MakeBrokenCorpus()) bytes[f.name] = std::move(f.bytes);
  auto error_of = [&](const std::string& name) {
    EXPECT_TRUE(bytes.count(name)) << name;
    return ReadEverything(name, bytes[name]);
  };
  Status crc = error_of("lie-page-crc-snappy-v1");
  EXPECT_NE(crc.message().find("checksum mismatch"), std::string::npos) << crc.message();
  EXPECT_NE(crc.message().find("column 'name', row group 0, page 1"), std::string::npos)
      << crc.message();
  Status bomb = error_of("lie-page-uncompressed-size-huge-zstd-v2");
  EXPECT_EQ(bomb.code(), StatusCode::kResourceExhausted) << bomb.ToString();
  Status rows = error_of("lie-row-group-rows-huge-snappy-v1");
  EXPECT_EQ(rows.code(), StatusCode::kResourceExhausted) << rows.ToString();
  Status dict = error_of("lie-dictionary-entries-too-few-gzip-v1");
  EXPECT_NE(dict.message().find("out of range for a dictionary of 2"), std::string::npos)
      << dict.message();
  Status deep = error_of("thrift-deep-nesting");
  EXPECT_NE(deep.message().find("nested deeper"), std::string::npos) << deep.message();
  Status brotli = error_of("lie-codec-brotli-snappy-v1");
  EXPECT_EQ(brotli.code(), StatusCode::kNotSupported) << brotli.ToString();
  Status elsewhere = error_of("lie-chunk-in-other-file-snappy-v1");
  EXPECT_EQ(elsewhere.code(), StatusCode::kNotSupported) << elsewhere.ToString();
}

// Every prefix of a small file, and every single-byte change of its footer and page headers.
TEST(BrokenCorpus, DenseTruncationsAndFlips) {
  BuildOptions o;
  o.codec = CodecType::kZstd;
  o.row_groups = 1;
  o.rows_per_group = 30;
  o.rows_per_page = 10;
  const BuiltFile built = BuildTestFile(o);
  const std::string& g = built.bytes;
  for (size_t cut = 0; cut < g.size(); ++cut) {
    Status s = ReadEverything("cut", g.substr(0, cut));
    ASSERT_FALSE(s.ok()) << "a file cut at " << cut << " of " << g.size() << " read fine";
  }
  std::vector<std::pair<uint64_t, uint64_t>> regions = {{built.footer_offset, built.footer_length}};
  for (const PageSpan& p : built.pages) regions.push_back({p.header_offset, p.header_size});
  int flips = 0;
  for (auto [begin, length] : regions) {
    for (uint64_t at = begin; at < begin + length; ++at) {
      for (uint8_t mask : {0x01, 0x80, 0xff}) {
        std::string b = g;
        b[at] = static_cast<char>(b[at] ^ mask);
        ReadEverything("flip", b).IgnoreError();  // any outcome but a crash
        ++flips;
      }
    }
  }
  EXPECT_GT(flips, 1000);
  std::printf("dense sweep: %zu truncations, %d flips\n", g.size(), flips);
}

TEST(BrokenCorpus, LowCapsStopLargeClaims) {
  BuildOptions o;
  o.rows_per_group = 1000;
  o.rows_per_page = 1000;
  const BuiltFile built = BuildTestFile(o);
  ReaderOptions small;
  small.max_row_group_rows = 999;
  EXPECT_EQ(ReadEverything("rows", built.bytes, small).code(), StatusCode::kResourceExhausted);
  small = ReaderOptions();
  small.max_page_bytes = 100;
  EXPECT_EQ(ReadEverything("pages", built.bytes, small).code(), StatusCode::kResourceExhausted);
  small = ReaderOptions();
  small.max_footer_bytes = 100;
  EXPECT_EQ(ReadEverything("footer", built.bytes, small).code(), StatusCode::kResourceExhausted);
}

// A footer of minimal schema elements (3 bytes each, 160 once decoded): refused by the decoded-
// memory cap instead of decoding into 50 times its size.
TEST(BrokenCorpus, FooterAmplificationIsCapped) {
  const uint32_t n = 400000;
  std::string footer = "\x29\xfc";  // FileMetaData.schema (field 2): structs, size follows
  for (uint32_t v = n; v >= 0x80; v >>= 7) footer.push_back(static_cast<char>((v & 0x7f) | 0x80));
  footer.push_back(static_cast<char>(n >> 14));
  for (uint32_t i = 0; i < n; ++i) footer += std::string("\x48\x00\x00", 3);  // {name: ""}
  footer.push_back('\0');
  std::string file = "PAR1" + footer;
  const auto len = static_cast<uint32_t>(footer.size());
  file.append(reinterpret_cast<const char*>(&len), 4);
  file += "PAR1";
  Status s = ReadEverything("amplified", file);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_NE(s.message().find("decoded values would take more than"), std::string::npos)
      << s.message();
}

fs::path CheckedInDir() {
  const char* src = std::getenv("SALESLAKE_SOURCE_DIR");
  return fs::path(src ? src : ".") / "tests" / "parquet" / "broken";
}

// The checked-in subset: everything except the flips and truncations of the other variants.
bool CheckedIn(const std::string& name) {
  if (!MustFail(name)) return false;
  const bool sweep = name.rfind("truncated-", 0) == 0 || name.rfind("flip-", 0) == 0;
  return !sweep || name.find("snappy-v1") != std::string::npos;
}

TEST(BrokenCorpus, CheckedInFilesFailWithTheirRecordedCode) {
  if (const char* out = std::getenv("SALESLAKE_WRITE_BROKEN_CORPUS")) {
    fs::create_directories(out);
    std::ofstream index(fs::path(out) / "index.tsv");
    index << "# file\texpected error code (regenerate: see src/parquet/reader/"
             "broken_corpus_test.cc)\n";
    for (const NamedFile& f : MakeBrokenCorpus()) {
      if (!CheckedIn(f.name)) continue;
      const std::string file = f.name + ".parquet";
      std::ofstream(fs::path(out) / file, std::ios::binary) << f.bytes;
      index << file << '\t' << StatusCodeName(ReadEverything(file, f.bytes).code()) << '\n';
    }
  }
  const fs::path dir = CheckedInDir();
  std::ifstream index(dir / "index.tsv");
  if (!index) GTEST_SKIP() << "no broken corpus at " << dir;
  std::string line;
  int files = 0;
  std::set<std::string> listed;
  while (std::getline(index, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    const std::string file = line.substr(0, tab);
    const std::string code = line.substr(tab + 1);
    listed.insert(file);
    std::ifstream in(dir / file, std::ios::binary);
    ASSERT_TRUE(in) << "missing " << file;
    std::stringstream bytes;
    bytes << in.rdbuf();
    Status s = ReadEverything(file, bytes.str());
    ASSERT_FALSE(s.ok()) << file << " read without an error";
    EXPECT_EQ(std::string(StatusCodeName(s.code())), code) << file << ": " << s.ToString();
    ++files;
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".parquet") {
      EXPECT_TRUE(listed.count(name)) << name;
    }
  }
  EXPECT_GT(files, 100);
}

}  // namespace
}  // namespace saleslake::parquet::testing
