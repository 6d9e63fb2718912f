#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <tuple>

#include "base/parallel_for.h"
#include "parquet/bloom_filter.h"
#include "parquet/writer/file_writer.h"
#include "parquet/writer/statistics_builder.h"
#include "parquet/writer/writer_test_util.h"

namespace saleslake::parquet {
namespace {

using testing::DecodeChunk;
using testing::DecodedChunk;
using testing::ReadFooter;
using testing::StringFile;
using testing::TestValue;

// A column and the values written to it, kept as TestValues for comparison.
struct TestColumn {
  ColumnSpec spec;
  ColumnBuffer buffer;
  std::vector<TestValue> expected;
};

TestColumn MakeColumn(ColumnSpec spec, size_t rows, uint32_t seed, int cardinality) {
  TestColumn c{spec, ColumnBuffer(spec.type, spec.type_length), {}};
  std::mt19937 rng(seed);
  for (size_t i = 0; i < rows; ++i) {
    if (!spec.required && rng() % 7 == 0) {
      c.buffer.AppendNull();
      c.expected.push_back(TestValue{});
      continue;
    }
    const uint32_t r = cardinality > 0 ? rng() % cardinality : rng();
    switch (spec.type) {
      case Type::kBoolean:
        c.buffer.AppendBool(r & 1);
        c.expected.push_back({TestValue::kInt, r & 1, 0, {}});
        break;
      case Type::kInt32: {
        int32_t v = static_cast<int32_t>(r) - (cardinality > 0 ? cardinality / 2 : 0);
        if (spec.logical_type && spec.logical_type->kind == LogicalType::Kind::kInteger &&
            spec.logical_type->bit_width == 8) {
          v = static_cast<int32_t>(r % 256) - (spec.logical_type->is_signed ? 128 : 0);
        }
        c.buffer.AppendInt32(v);
        c.expected.push_back({TestValue::kInt, v, 0, {}});
        break;
      }
      case Type::kInt64: {
        const int64_t v = 1'700'000'000'000'000 + static_cast<int64_t>(i) * 1000 + r % 1000;
        c.buffer.AppendInt64(v);
        c.expected.push_back({TestValue::kInt, v, 0, {}});
        break;
      }
      case Type::kFloat: {
        const float v = static_cast<float>(r) / 7.0f;
        c.buffer.AppendFloat(v);
        c.expected.push_back({TestValue::kDouble, 0, v, {}});
        break;
      }
      case Type::kDouble: {
        const double v = static_cast<double>(r) / 3.0 - 1000;
        c.buffer.AppendDouble(v);
        c.expected.push_back({TestValue::kDouble, 0, v, {}});
        break;
      }
      case Type::kByteArray: {
        std::string v = "value-" + std::to_string(r);
        if (r % 11 == 0) v.clear();  // empty strings are values too
        c.buffer.AppendBytes(v);
        c.expected.push_back({TestValue::kBytes, 0, 0, v});
        break;
      }
      case Type::kFixedLenByteArray: {
        std::string v(static_cast<size_t>(spec.type_length), '\0');
        for (size_t k = 0; k < v.size(); ++k) v[k] = static_cast<char>((r >> (k % 4 * 8)) + k);
        c.buffer.AppendBytes(v);
        c.expected.push_back({TestValue::kBytes, 0, 0, v});
        break;
      }
      default:
        break;
    }
  }
  return c;
}

std::vector<TestColumn> AllTypes(size_t rows, int cardinality) {
  std::vector<TestColumn> cols;
  uint32_t seed = 1;
  auto add = [&](ColumnSpec s) { cols.push_back(MakeColumn(s, rows, seed++, cardinality)); };
  add(ColumnSpec::Boolean("b"));
  add(ColumnSpec::Int32("i32").Required());
  add(ColumnSpec::Int64("i64"));
  add(ColumnSpec::Float("f"));
  add(ColumnSpec::Double("d").Required());
  add(ColumnSpec::String("s"));
  add(ColumnSpec::Uuid("u"));
  add(ColumnSpec::Integer("u8", 8, false));
  add(ColumnSpec::Timestamp("ts", TimeUnit::kMicros).Required());
  return cols;
}

// The batch's byte arrays in dictionary form: its distinct values in sorted order (not the order
// of first appearance, which the writer must restore), plus one value no row uses.
ColumnBuffer InDictionaryForm(const ColumnBuffer& plain, const ColumnSpec& spec, size_t begin,
                              size_t end) {
  std::map<std::string, uint32_t> index;
  for (size_t r = begin; r < end; ++r) {
    if (plain.IsValid(r)) index.emplace(std::string(plain.bytes(r)), 0);
  }
  index.emplace(std::string(static_cast<size_t>(spec.type_length), 'z'), 0);  // unused
  ColumnBuffer b(spec.type, spec.type_length);
  if (begin < end && !plain.IsValid(begin)) b.AppendNull();  // a null before any dictionary value
  for (auto& [value, id] : index) id = b.AddDictionaryValue(value);
  for (size_t r = b.size() + begin; r < end; ++r) {
    if (plain.IsValid(r)) {
      b.AppendIndex(index.at(std::string(plain.bytes(r))));
    } else {
      b.AppendNull();
    }
  }
  return b;
}

std::string WriteFile(std::vector<TestColumn>& cols, const WriterOptions& options,
                      size_t batch_rows = 1000, ColumnRunner runner = {},
                      bool dictionary_form = false) {
  std::string bytes;
  std::vector<ColumnSpec> specs;
  for (const TestColumn& c : cols) specs.push_back(c.spec);
  auto writer = ParquetFileWriter::Open(std::make_unique<StringFile>(&bytes), specs, options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return bytes;
  if (runner) (*writer)->set_column_runner(std::move(runner));
  // Re-slice the prepared columns into batches to exercise batch boundaries.
  const size_t rows = cols[0].buffer.size();
  for (size_t start = 0; start < rows; start += batch_rows) {
    std::vector<ColumnBuffer> batch;
    for (const TestColumn& c : cols) {
      const bool bytes = c.spec.type == Type::kByteArray || c.spec.type == Type::kFixedLenByteArray;
      if (dictionary_form && bytes) {
        batch.push_back(
            InDictionaryForm(c.buffer, c.spec, start, std::min(rows, start + batch_rows)));
        continue;
      }
      ColumnBuffer b(c.spec.type, c.spec.type_length);
      for (size_t r = start; r < std::min(rows, start + batch_rows); ++r) {
        if (!c.buffer.IsValid(r)) {
          b.AppendNull();
          continue;
        }
        switch (c.spec.type) {
          case Type::kBoolean:
            b.AppendBool(c.buffer.bools()[r]);
            break;
          case Type::kInt32:
            b.AppendInt32(c.buffer.int32s()[r]);
            break;
          case Type::kInt64:
            b.AppendInt64(c.buffer.int64s()[r]);
            break;
          case Type::kFloat:
            b.AppendFloat(c.buffer.floats()[r]);
            break;
          case Type::kDouble:
            b.AppendDouble(c.buffer.doubles()[r]);
            break;
          default:
            b.AppendBytes(c.buffer.bytes(r));
            break;
        }
      }
      batch.push_back(std::move(b));
    }
    Status s = (*writer)->Write(batch);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  Status s = (*writer)->Close();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return bytes;
}

void ExpectValues(const std::string& file, const std::vector<TestColumn>& cols) {
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  ASSERT_EQ(meta.num_rows, static_cast<int64_t>(cols[0].expected.size()));
  for (size_t c = 0; c < cols.size(); ++c) {
    std::vector<TestValue> got;
    for (size_t g = 0; g < meta.row_groups.size(); ++g) {
      DecodedChunk chunk;
      Status s = DecodeChunk(file, meta, static_cast<int>(g), static_cast<int>(c), &chunk);
      ASSERT_TRUE(s.ok()) << cols[c].spec.name << ": " << s.ToString();
      got.insert(got.end(), chunk.values.begin(), chunk.values.end());
    }
    ASSERT_EQ(got.size(), cols[c].expected.size()) << cols[c].spec.name;
    for (size_t r = 0; r < got.size(); ++r) {
      ASSERT_EQ(got[r], cols[c].expected[r]) << cols[c].spec.name << " row " << r;
    }
  }
}

using MatrixParam = std::tuple<ColumnEncoding, compress::CodecType, DataPageVersion>;

class WriterMatrixTest : public ::testing::TestWithParam<MatrixParam> {};

TEST_P(WriterMatrixTest, EveryValueDecodesBack) {
  const auto [encoding, codec, version] = GetParam();
  for (int cardinality : {0, 50}) {
    std::vector<TestColumn> cols = AllTypes(5000, cardinality);
    WriterOptions::Builder builder;
    builder.Compression(codec).PageVersion(version).DataPageRows(700).RowGroupRows(3000);
    builder.DefaultEncoding(encoding);
    if (encoding == ColumnEncoding::kDeltaBinaryPacked) {
      // Only integer columns take DELTA_BINARY_PACKED; the others keep the default.
      builder.DefaultEncoding(ColumnEncoding::kPlain);
      for (const char* c : {"i32", "i64", "u8", "ts"}) builder.EncodingFor(c, encoding);
    }
    auto options = builder.Build();
    ASSERT_TRUE(options.ok());
    std::string file = WriteFile(cols, *options, 999);
    ExpectValues(file, cols);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, WriterMatrixTest,
    ::testing::Combine(::testing::Values(ColumnEncoding::kAuto, ColumnEncoding::kPlain,
                                         ColumnEncoding::kDictionary,
                                         ColumnEncoding::kDeltaBinaryPacked),
                       ::testing::Values(compress::CodecType::kUncompressed,
                                         compress::CodecType::kSnappy, compress::CodecType::kZstd,
                                         compress::CodecType::kGzip),
                       ::testing::Values(DataPageVersion::kV1, DataPageVersion::kV2)));

TEST(WriterTest, FooterDescribesSchemaAndLegacyTypes) {
  std::vector<TestColumn> cols;
  cols.push_back(MakeColumn(ColumnSpec::Decimal("price", 18, 2).Required(), 10, 1, 100));
  cols.push_back(MakeColumn(ColumnSpec::Timestamp("ts", TimeUnit::kMillis), 10, 2, 0));
  cols.push_back(MakeColumn(ColumnSpec::Date("day"), 10, 3, 100));
  cols.push_back(MakeColumn(ColumnSpec::String("name"), 10, 4, 0));
  auto options = WriterOptions::Builder().Metadata("origin", "test").Build();
  ASSERT_TRUE(options.ok());
  std::string file = WriteFile(cols, *options);
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  ASSERT_EQ(meta.schema.size(), 5u);
  EXPECT_EQ(meta.schema[0].num_children, 4);
  const SchemaElement& price = meta.schema[1];
  EXPECT_EQ(price.type, Type::kInt64);
  EXPECT_EQ(price.repetition_type, FieldRepetitionType::kRequired);
  EXPECT_EQ(price.converted_type, ConvertedType::kDecimal);
  EXPECT_EQ(price.precision, 18);
  EXPECT_EQ(price.scale, 2);
  EXPECT_EQ(price.logical_type, LogicalType::Decimal(18, 2));
  EXPECT_EQ(meta.schema[2].converted_type, ConvertedType::kTimestampMillis);
  EXPECT_EQ(meta.schema[3].converted_type, ConvertedType::kDate);
  EXPECT_EQ(meta.schema[4].converted_type, ConvertedType::kUtf8);
  ASSERT_EQ(meta.key_value_metadata.size(), 1u);
  EXPECT_EQ(meta.key_value_metadata[0].value, "test");
  EXPECT_NE(meta.created_by->find("saleslake"), std::string::npos);
  EXPECT_EQ(meta.column_orders.size(), 4u);
}

TEST(WriterTest, StatisticsFollowEachColumnsOrder) {
  std::vector<TestColumn> cols;
  cols.push_back({ColumnSpec::Integer("u32", 32, false), ColumnBuffer(Type::kInt32), {}});
  cols.push_back({ColumnSpec::Int32("s32"), ColumnBuffer(Type::kInt32), {}});
  cols.push_back({ColumnSpec::String("str"), ColumnBuffer(Type::kByteArray), {}});
  cols.push_back({ColumnSpec::Double("dbl"), ColumnBuffer(Type::kDouble), {}});
  for (int32_t v : {5, -1, 7}) {  // -1 is 0xFFFFFFFF: the largest unsigned value
    cols[0].buffer.AppendInt32(v);
    cols[1].buffer.AppendInt32(v);
  }
  for (const char* s : {"b", "\xC3\xA9", "a"}) cols[2].buffer.AppendBytes(s);  // é > b bytewise
  cols[3].buffer.AppendDouble(std::nan(""));
  cols[3].buffer.AppendDouble(0.0);
  cols[3].buffer.AppendNull();
  auto options = WriterOptions::Builder().Build();
  std::string file = WriteFile(cols, *options);
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  auto stats = [&](int c) { return *meta.row_groups[0].columns[c].meta_data->statistics; };
  auto i32 = [](int32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); };
  EXPECT_EQ(stats(0).min_value, i32(5));
  EXPECT_EQ(stats(0).max_value, i32(-1));
  EXPECT_FALSE(stats(0).min.has_value()) << "no legacy (signed) min for an unsigned column";
  EXPECT_EQ(stats(1).min_value, i32(-1));
  EXPECT_EQ(stats(1).max_value, i32(7));
  EXPECT_EQ(stats(1).min, i32(-1));
  EXPECT_EQ(stats(2).min_value, "a");
  EXPECT_EQ(stats(2).max_value, "\xC3\xA9");
  EXPECT_EQ(stats(3).null_count, 1);
  double min, max;
  std::memcpy(&min, stats(3).min_value->data(), 8);
  std::memcpy(&max, stats(3).max_value->data(), 8);
  EXPECT_TRUE(std::signbit(min)) << "a zero min is written as -0.0";
  EXPECT_FALSE(std::signbit(max));
  EXPECT_EQ(min, 0.0);
}

TEST(WriterTest, PageIndexMatchesThePages) {
  std::vector<TestColumn> cols;
  cols.push_back({ColumnSpec::Int64("id").Required(), ColumnBuffer(Type::kInt64), {}});
  cols.push_back({ColumnSpec::String("tag"), ColumnBuffer(Type::kByteArray), {}});
  for (int64_t i = 0; i < 10'000; ++i) {
    cols[0].buffer.AppendInt64(i);
    if (i >= 2000 && i < 4000) {
      cols[1].buffer.AppendNull();  // whole pages of nulls
    } else {
      cols[1].buffer.AppendBytes(std::string(100, static_cast<char>('a' + i / 1000)));
    }
  }
  auto options = WriterOptions::Builder().DataPageRows(1000).Build();
  std::string file = WriteFile(cols, *options, 10'000);
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  for (int c = 0; c < 2; ++c) {
    const ColumnChunk& chunk = meta.row_groups[0].columns[c];
    ASSERT_TRUE(chunk.offset_index_offset && chunk.column_index_offset);
    OffsetIndex oi;
    ASSERT_TRUE(Deserialize(std::string_view(file).substr(*chunk.offset_index_offset,
                                                          *chunk.offset_index_length),
                            &oi)
                    .ok());
    ColumnIndex ci;
    ASSERT_TRUE(Deserialize(std::string_view(file).substr(*chunk.column_index_offset,
                                                          *chunk.column_index_length),
                            &ci)
                    .ok());
    DecodedChunk decoded;
    ASSERT_TRUE(DecodeChunk(file, meta, 0, c, &decoded).ok());
    std::vector<testing::DecodedPage> data_pages;
    for (auto& p : decoded.pages) {
      if (p.header.type != PageType::kDictionaryPage) data_pages.push_back(p);
    }
    ASSERT_EQ(oi.page_locations.size(), data_pages.size());
    ASSERT_EQ(ci.null_pages.size(), data_pages.size());
    for (size_t p = 0; p < data_pages.size(); ++p) {
      EXPECT_EQ(oi.page_locations[p].offset, data_pages[p].offset);
      EXPECT_EQ(oi.page_locations[p].compressed_page_size, data_pages[p].size);
      EXPECT_EQ(oi.page_locations[p].first_row_index, static_cast<int64_t>(p) * 1000);
    }
    EXPECT_EQ(ci.boundary_order, BoundaryOrder::kAscending);
    if (c == 1) {
      EXPECT_TRUE(ci.null_pages[2] && ci.null_pages[3]);
      EXPECT_FALSE(ci.null_pages[4]);
      EXPECT_EQ((*ci.null_counts)[2], 1000);
      // 100-byte strings are truncated to 64 bytes; the max is rounded up to stay an upper bound.
      EXPECT_EQ(ci.min_values[0], std::string(64, 'a'));
      EXPECT_EQ(ci.max_values[0], std::string(63, 'a') + "b");
    }
  }
}

TEST(WriterTest, DictionaryFallsBackPastItsLimit) {
  std::vector<TestColumn> cols;
  cols.push_back(MakeColumn(ColumnSpec::String("unique").Required(), 20'000, 9, 0));
  auto options = WriterOptions::Builder().DictionaryPageBytes(16 * 1024).Build();
  std::string file = WriteFile(cols, *options, 20'000);
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  const ColumnMetaData& m = *meta.row_groups[0].columns[0].meta_data;
  ASSERT_TRUE(m.dictionary_page_offset.has_value());
  bool dictionary_pages = false, plain_pages = false;
  for (const PageEncodingStats& s : m.encoding_stats) {
    if (s.page_type == PageType::kDataPage && s.encoding == Encoding::kRleDictionary) {
      dictionary_pages = true;
    }
    if (s.page_type == PageType::kDataPage && s.encoding == Encoding::kPlain) plain_pages = true;
  }
  EXPECT_TRUE(dictionary_pages && plain_pages);
  ExpectValues(file, cols);
}

TEST(WriterTest, AColumnMayBeStoredUncompressedInASnappyFile) {
  std::vector<TestColumn> cols;
  cols.push_back(MakeColumn(ColumnSpec::String("id").Required(), 5'000, 9, 0));
  cols.push_back(MakeColumn(ColumnSpec::String("name").Required(), 5'000, 10, 0));
  auto options = WriterOptions::Builder()
                     .Compression(compress::CodecType::kSnappy)
                     .CompressionFor("id", compress::CodecType::kUncompressed)
                     .Build();
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  std::string file = WriteFile(cols, *options, 5'000);
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  EXPECT_EQ(meta.row_groups[0].columns[0].meta_data->codec, CompressionCodec::kUncompressed);
  EXPECT_EQ(meta.row_groups[0].columns[1].meta_data->codec, CompressionCodec::kSnappy);
  ExpectValues(file, cols);
  // Another codec than the file's for one column is refused.
  EXPECT_FALSE(WriterOptions::Builder()
                   .Compression(compress::CodecType::kSnappy)
                   .CompressionFor("id", compress::CodecType::kZstd)
                   .Build()
                   .ok());
}

TEST(WriterTest, UniqueValuesLeaveTheDictionaryEarlyRepeatedOnesKeepIt) {
  std::vector<TestColumn> cols;
  cols.push_back({ColumnSpec::String("unique").Required(), ColumnBuffer(Type::kByteArray), {}});
  for (int i = 0; i < 30'000; ++i) {
    const std::string v = "id-" + std::to_string(i * 7919 % 30'011);
    cols[0].buffer.AppendBytes(v);
    cols[0].expected.push_back({TestValue::kBytes, 0, 0, v});
  }
  cols.push_back(MakeColumn(ColumnSpec::String("names").Required(), 30'000, 2, 13'000));
  std::string file = WriteFile(cols, *WriterOptions::Builder().Build(), 30'000);
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  auto count = [&](int c, Encoding e) {
    int n = 0;
    for (const auto& s : meta.row_groups[0].columns[c].meta_data->encoding_stats) {
      if (s.page_type == PageType::kDataPage && s.encoding == e) n += s.count;
    }
    return n;
  };
  // 95% distinct after 8192 values: only the first page stays dictionary-encoded.
  EXPECT_EQ(count(0, Encoding::kRleDictionary), 1);
  EXPECT_GT(count(0, Encoding::kPlain), 0);
  // 13,000 possible values repeat enough to keep the dictionary for the whole chunk.
  EXPECT_EQ(count(1, Encoding::kPlain), 0);
  ExpectValues(file, cols);
}

TEST(WriterTest, AutoPicksDeltaForTimestampsAfterFallback) {
  std::vector<TestColumn> cols;
  cols.push_back(
      MakeColumn(ColumnSpec::Timestamp("ts", TimeUnit::kMicros).Required(), 50'000, 3, 0));
  auto options = WriterOptions::Builder().DictionaryPageBytes(8 * 1024).Build();
  std::string file = WriteFile(cols, *options, 50'000);
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  const auto& encodings = meta.row_groups[0].columns[0].meta_data->encodings;
  EXPECT_NE(std::find(encodings.begin(), encodings.end(), Encoding::kDeltaBinaryPacked),
            encodings.end());
  ExpectValues(file, cols);
}

TEST(WriterTest, RowGroupsSplitByRowsAndBytes) {
  std::vector<TestColumn> cols = AllTypes(10'000, 0);
  auto by_rows = WriterOptions::Builder().RowGroupRows(2500).Build();
  std::string file = WriteFile(cols, *by_rows, 777);
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  ASSERT_EQ(meta.row_groups.size(), 4u);
  for (const RowGroup& g : meta.row_groups) EXPECT_EQ(g.num_rows, 2500);
  ExpectValues(file, cols);

  auto by_bytes = WriterOptions::Builder().RowGroupBytes(64 * 1024).DataPageRows(500).Build();
  file = WriteFile(cols, *by_bytes, 777);
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  EXPECT_GT(meta.row_groups.size(), 2u);
  ExpectValues(file, cols);
}

TEST(WriterTest, BloomFilterHoldsEveryValue) {
  std::vector<TestColumn> cols;
  cols.push_back(MakeColumn(ColumnSpec::String("id").Required(), 5000, 5, 0));
  auto options = WriterOptions::Builder().BloomFilter("id", 0.01).Build();
  std::string file = WriteFile(cols, *options, 5000);
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(file, &meta).ok());
  const ColumnMetaData& m = *meta.row_groups[0].columns[0].meta_data;
  ASSERT_TRUE(m.bloom_filter_offset && m.bloom_filter_length);
  std::string_view bytes =
      std::string_view(file).substr(*m.bloom_filter_offset, *m.bloom_filter_length);
  BloomFilterHeader header;
  size_t header_size = 0;
  ASSERT_TRUE(Deserialize(bytes, &header, &header_size).ok());
  ASSERT_EQ(header_size + header.num_bytes, bytes.size());
  auto filter = SplitBlockBloomFilter::FromBitset(bytes.substr(header_size));
  ASSERT_TRUE(filter.ok());
  for (const TestValue& v : cols[0].expected) {
    ASSERT_TRUE(filter->MightContainHash(SplitBlockBloomFilter::Hash(v.bytes))) << v.bytes;
  }
  int false_positives = 0;
  for (int i = 0; i < 10'000; ++i) {
    false_positives +=
        filter->MightContainHash(SplitBlockBloomFilter::Hash("absent-" + std::to_string(i)));
  }
  EXPECT_LT(false_positives, 300);  // 1% expected; 3% leaves room for chance
}

TEST(WriterTest, BadValuesAreRefusedAndTheFileAborted) {
  struct Case {
    ColumnSpec spec;
    void (*fill)(ColumnBuffer*);
    const char* message;
  };
  const Case cases[] = {
      {ColumnSpec::Int32("req").Required(), [](ColumnBuffer* b) { b->AppendNull(); },
       "REQUIRED but row 0 is null"},
      {ColumnSpec::Decimal("price", 5, 2), [](ColumnBuffer* b) { b->AppendInt32(100000); },
       "does not fit DECIMAL(5,2)"},
      {ColumnSpec::Integer("tiny", 8, true), [](ColumnBuffer* b) { b->AppendInt32(200); },
       "does not fit INTEGER(8,signed)"},
      {ColumnSpec::Uuid("id"), [](ColumnBuffer* b) { b->AppendBytes("short"); },
       "FIXED_LEN_BYTE_ARRAY(16) value of 5 bytes"},
  };
  for (const Case& c : cases) {
    std::string bytes = "untouched";
    auto writer = ParquetFileWriter::Open(std::make_unique<StringFile>(&bytes), {c.spec},
                                          *WriterOptions::Builder().Build());
    ASSERT_TRUE(writer.ok());
    std::vector<ColumnBuffer> batch;
    batch.emplace_back(c.spec.type, c.spec.type_length);
    c.fill(&batch[0]);
    Status s = (*writer)->Write(batch);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find(c.message), std::string::npos) << s.ToString();
    EXPECT_FALSE((*writer)->Close().ok());
    EXPECT_EQ(bytes, "untouched") << "nothing published";
  }
}

TEST(WriterTest, UnsupportedSchemasAreRefused) {
  ColumnSpec int96 = ColumnSpec::Int64("t");
  int96.type = Type::kInt96;
  ColumnSpec decimal_double = ColumnSpec::Double("d");
  decimal_double.logical_type = LogicalType::Decimal(10, 2);
  ColumnSpec string_on_int = ColumnSpec::Int32("s");
  string_on_int.logical_type = LogicalType::String();
  for (const ColumnSpec& c : {int96, decimal_double, string_on_int}) {
    std::string bytes;
    auto writer = ParquetFileWriter::Open(std::make_unique<StringFile>(&bytes), {c},
                                          *WriterOptions::Builder().Build());
    EXPECT_EQ(writer.status().code(), StatusCode::kInvalidArgument) << c.name;
  }
  std::string bytes;
  auto dup = ParquetFileWriter::Open(std::make_unique<StringFile>(&bytes),
                                     {ColumnSpec::Int32("a"), ColumnSpec::Int64("a")},
                                     *WriterOptions::Builder().Build());
  EXPECT_FALSE(dup.ok());
  auto bad_delta =
      WriterOptions::Builder().EncodingFor("s", ColumnEncoding::kDeltaBinaryPacked).Build();
  ASSERT_TRUE(bad_delta.ok());
  auto w = ParquetFileWriter::Open(std::make_unique<StringFile>(&bytes), {ColumnSpec::String("s")},
                                   *bad_delta);
  EXPECT_FALSE(w.ok());
  EXPECT_FALSE(WriterOptions::Builder().RowGroupRows(0).Build().ok());
  EXPECT_FALSE(WriterOptions::Builder().Compression(compress::CodecType::kBrotli).Build().ok());
}

TEST(WriterTest, EmptyFileIsValid) {
  std::string bytes;
  auto writer =
      ParquetFileWriter::Open(std::make_unique<StringFile>(&bytes), {ColumnSpec::String("s")},
                              *WriterOptions::Builder().Build());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Close().ok());
  FileMetaData meta;
  ASSERT_TRUE(ReadFooter(bytes, &meta).ok());
  EXPECT_EQ(meta.num_rows, 0);
  EXPECT_TRUE(meta.row_groups.empty());
}

TEST(WriterTest, OutputIsDeterministic) {
  std::vector<TestColumn> a = AllTypes(3000, 40);
  std::vector<TestColumn> b = AllTypes(3000, 40);
  auto options = WriterOptions::Builder().BloomFilter("s").Build();
  EXPECT_EQ(WriteFile(a, *options), WriteFile(b, *options));
}

TEST(WriterTest, ColumnsWrittenAtOnceGiveTheSameBytes) {
  std::vector<TestColumn> cols = AllTypes(5000, 40);
  // Small row groups, so that chunks are finished (and flushed) through the runner too.
  auto options = WriterOptions::Builder().BloomFilter("s").RowGroupRows(1200).Build();
  ASSERT_TRUE(options.ok());
  const std::string serial = WriteFile(cols, *options, 700);
  ParallelFor pool(3);
  const std::string parallel =
      WriteFile(cols, *options, 700,
                [&pool](size_t n, const std::function<void(size_t)>& task) { pool.Run(n, task); });
  const std::string reversed =
      WriteFile(cols, *options, 700, [](size_t n, const std::function<void(size_t)>& task) {
        for (size_t i = n; i-- > 0;) task(i);
      });
  EXPECT_EQ(parallel, serial);
  EXPECT_EQ(reversed, serial);
  ExpectValues(parallel, cols);
}

TEST(WriterTest, ByteArraysInDictionaryFormGiveTheSameBytes) {
  // Repeated values (the dictionary kept), unique ones (the dictionary left early), a dictionary
  // limit passed midway, nulls, row groups and batches that do not line up, a bloom filter.
  std::vector<TestColumn> cols = AllTypes(9000, 300);
  cols.push_back(MakeColumn(ColumnSpec::String("unique"), 9000, 77, 0));
  cols.push_back(MakeColumn(ColumnSpec::String("names").Required(), 9000, 78, 2000));
  for (const auto& options :
       {WriterOptions::Builder().BloomFilter("s").BloomFilter("unique").RowGroupRows(4000).Build(),
        WriterOptions::Builder().DictionaryPageBytes(4 * 1024).DataPageRows(700).Build()}) {
    ASSERT_TRUE(options.ok());
    const std::string plain = WriteFile(cols, *options, 1300);
    const std::string indexed = WriteFile(cols, *options, 1300, {}, /*dictionary_form=*/true);
    EXPECT_EQ(indexed, plain);
  }
}

TEST(WriterTest, DictionaryFormIndicesAreChecked) {
  ColumnBuffer b(Type::kByteArray);
  b.AppendIndex(b.AddDictionaryValue("a"));
  b.AppendIndex(3);
  std::string bytes;
  auto writer =
      ParquetFileWriter::Open(std::make_unique<StringFile>(&bytes), {ColumnSpec::String("s")},
                              *WriterOptions::Builder().Build());
  ASSERT_TRUE(writer.ok());
  Status s = (*writer)->Write(std::span<const ColumnBuffer>(&b, 1));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("index 3"), std::string::npos) << s.ToString();
}

TEST(WriterTest, ByteArrayOrderIsUnsignedBytewise) {
  std::mt19937 rng(5);
  const ValueOrder<std::string_view> order;
  auto random_text = [&]() {
    std::string v(rng() % 20, '\0');
    for (char& c : v) c = static_cast<char>(rng() % 4 == 0 ? 0x7F + rng() % 3 : 'a' + rng() % 3);
    return v;
  };
  for (int i = 0; i < 20'000; ++i) {
    const std::string a = random_text(), b = random_text();
    // std::string compares char_traits<char>, which orders like unsigned bytes (memcmp).
    EXPECT_EQ(order.Less(a, b), a.compare(b) < 0) << a << " / " << b;
  }
}

}  // namespace
}  // namespace saleslake::parquet
