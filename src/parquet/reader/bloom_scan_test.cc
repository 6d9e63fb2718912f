// Bloom filters and statistics on files our writer produces: an = or IN on a value inside a row
// group's min/max but absent from it is pruned by the bloom filter; present values never are.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "io/mem_file_system.h"
#include "parquet/reader/scanner.h"
#include "parquet/writer/file_writer.h"

namespace saleslake::parquet {
namespace {

constexpr int kGroups = 4;
constexpr int kRowsPerGroup = 1000;

// Row r: id = "id-" + 2r (even numbers only, so odd ones fall inside min/max but are absent),
// amount = 10 * r; one row group per kRowsPerGroup rows.
std::shared_ptr<io::MemFileSystem> WriteFile() {
  auto fs = io::MemFileSystem::Make();
  auto file = fs->OpenForWrite("bloom.parquet");
  EXPECT_TRUE(file.ok());
  auto options = WriterOptions::Builder()
                     .RowGroupRows(kRowsPerGroup)
                     .BloomFilter("id")
                     .BloomFilter("amount")
                     .Build();
  EXPECT_TRUE(options.ok()) << options.status().ToString();
  auto writer = ParquetFileWriter::Open(
      std::move(file).value(), {ColumnSpec::String("id"), ColumnSpec::Int64("amount")}, *options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  for (int g = 0; g < kGroups; ++g) {
    std::vector<ColumnBuffer> batch = {ColumnBuffer(Type::kByteArray), ColumnBuffer(Type::kInt64)};
    for (int i = 0; i < kRowsPerGroup; ++i) {
      const int64_t r = int64_t{g} * kRowsPerGroup + i;
      batch[0].AppendBytes("id-" + std::to_string(100000 + 2 * r));
      batch[1].AppendInt64(10 * r);
    }
    EXPECT_TRUE((*writer)->Write(batch).ok());
  }
  EXPECT_TRUE((*writer)->Close().ok());
  return fs;
}

ScanStats Scan(const ParquetFileReader& reader, ColumnPredicate p, int64_t* rows_read) {
  ScanOptions options;
  options.predicates.push_back(std::move(p));
  auto scanner = ParquetScanner::Make(&reader, options);
  EXPECT_TRUE(scanner.ok()) << scanner.status().ToString();
  ScanBatch batch;
  *rows_read = 0;
  while (true) {
    auto more = (*scanner)->Next(&batch);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    *rows_read += batch.num_rows;
  }
  return (*scanner)->stats();
}

TEST(BloomScanTest, AbsentValuesInsideMinMaxArePrunedByTheBloomFilter) {
  auto fs = WriteFile();
  auto file = fs->OpenForRead("bloom.parquet");
  ASSERT_TRUE(file.ok());
  auto reader = ParquetFileReader::Open(std::move(file).value());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_EQ((*reader)->num_row_groups(), kGroups);
  for (int rg = 0; rg < kGroups; ++rg) {
    auto bitset = (*reader)->ReadBloomFilter(rg, 0);
    ASSERT_TRUE(bitset.ok()) << bitset.status().ToString();
    ASSERT_TRUE(bitset->has_value()) << "the writer wrote no bloom filter for id";
  }
  int64_t rows = 0;
  // Present in row group 2 only: statistics prune 3 groups, nothing is pruned wrongly.
  ScanStats present = Scan(**reader, {"id", CompareOp::kEq, {std::string("id-104100")}}, &rows);
  EXPECT_EQ(present.row_groups_read, 1);
  EXPECT_EQ(rows, kRowsPerGroup);
  // Odd ids fall inside row group 1's min/max but are absent: the bloom filter prunes it (its
  // false-positive rate is 1%, so one of these three absent values may get through, not all).
  ScanStats absent =
      Scan(**reader,
           {"id",
            CompareOp::kIn,
            {std::string("id-102001"), std::string("id-102003"), std::string("id-102005")}},
           &rows);
  EXPECT_EQ(absent.pruned_by_statistics, 3);
  EXPECT_EQ(absent.pruned_by_bloom_filter, 1);
  EXPECT_EQ(rows, 0);
  ScanStats absent_int = Scan(**reader, {"amount", CompareOp::kEq, {int64_t{15005}}}, &rows);
  EXPECT_EQ(absent_int.pruned_by_statistics + absent_int.pruned_by_bloom_filter, kGroups);
  EXPECT_EQ(absent_int.pruned_by_bloom_filter, 1);
  // With bloom filters off the same query reads the row group.
  ScanOptions no_bloom;
  no_bloom.use_bloom_filters = false;
  no_bloom.predicates.push_back({"amount", CompareOp::kEq, {int64_t{15005}}});
  auto scanner = ParquetScanner::Make(reader->get(), no_bloom);
  ASSERT_TRUE(scanner.ok());
  ScanBatch batch;
  EXPECT_TRUE(*(*scanner)->Next(&batch));
}

}  // namespace
}  // namespace saleslake::parquet
