#include "parquet/metadata.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace saleslake::parquet {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

template <typename T>
T RoundTrip(const T& v) {
  std::string bytes;
  Serialize(v, &bytes);
  T back;
  size_t consumed = 0;
  Status s = Deserialize(bytes, &back, &consumed);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(consumed, bytes.size());
  return back;
}

Statistics SampleStatistics() {
  Statistics s;
  s.min_value = std::string("\x01\x00\x00\x00", 4);
  s.max_value = std::string("\xff\x00\x00\x00", 4);
  s.null_count = 3;
  s.distinct_count = 9;
  s.is_max_value_exact = true;
  s.is_min_value_exact = false;
  return s;
}

FileMetaData SampleFile() {
  FileMetaData f;
  f.version = 2;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 4;
  f.schema.push_back(root);
  SchemaElement amount;
  amount.name = "amount";
  amount.type = Type::kInt64;
  amount.repetition_type = FieldRepetitionType::kRequired;
  amount.converted_type = ConvertedType::kDecimal;
  amount.scale = 2;
  amount.precision = 18;
  amount.logical_type = LogicalType::Decimal(18, 2);
  f.schema.push_back(amount);
  SchemaElement ts;
  ts.name = "ts";
  ts.type = Type::kInt64;
  ts.repetition_type = FieldRepetitionType::kOptional;
  ts.logical_type = LogicalType::Timestamp(true, TimeUnit::kMicros);
  f.schema.push_back(ts);
  SchemaElement small;
  small.name = "small";
  small.type = Type::kInt32;
  small.logical_type = LogicalType::Integer(16, false);
  small.field_id = 7;
  f.schema.push_back(small);
  SchemaElement id;
  id.name = "id";
  id.type = Type::kFixedLenByteArray;
  id.type_length = 16;
  id.logical_type = LogicalType::Uuid();
  f.schema.push_back(id);
  f.num_rows = 1000;

  RowGroup g;
  g.num_rows = 1000;
  g.total_byte_size = 123456789012;
  g.file_offset = 4;
  g.total_compressed_size = 5000;
  g.ordinal = 0;
  g.sorting_columns.push_back({1, true, false});
  ColumnChunk c;
  c.file_offset = 4;
  ColumnMetaData m;
  m.type = Type::kInt64;
  m.encodings = {Encoding::kRle, Encoding::kRleDictionary, Encoding::kPlain};
  m.path_in_schema = {"amount"};
  m.codec = CompressionCodec::kZstd;
  m.num_values = 1000;
  m.total_uncompressed_size = 9000;
  m.total_compressed_size = 5000;
  m.key_value_metadata.push_back({"k", std::nullopt});
  m.data_page_offset = 100;
  m.dictionary_page_offset = 4;
  m.statistics = SampleStatistics();
  m.encoding_stats.push_back({PageType::kDictionaryPage, Encoding::kPlain, 1});
  m.encoding_stats.push_back({PageType::kDataPage, Encoding::kRleDictionary, 20});
  m.bloom_filter_offset = 99999;
  m.bloom_filter_length = 4096;
  SizeStatistics size;
  size.unencoded_byte_array_data_bytes = 17;
  size.definition_level_histogram = {1, 999};
  m.size_statistics = size;
  c.meta_data = m;
  c.offset_index_offset = 200000;
  c.offset_index_length = 30;
  c.column_index_offset = 100000;
  c.column_index_length = 40;
  g.columns.push_back(c);
  f.row_groups.push_back(g);
  f.key_value_metadata.push_back({"writer.note", std::string("exact money")});
  f.created_by = "saleslake version 0.1.0";
  f.column_orders.assign(4, ColumnOrder{});
  return f;
}

TEST(MetadataTest, FileMetaDataRoundTrips) {
  FileMetaData f = SampleFile();
  EXPECT_EQ(RoundTrip(f), f);
}

TEST(MetadataTest, EveryLogicalTypeRoundTrips) {
  std::vector<LogicalType> types = {LogicalType::String(),
                                    LogicalType::Enum(),
                                    LogicalType::Json(),
                                    LogicalType::Uuid(),
                                    LogicalType::Date(),
                                    LogicalType::Decimal(9, 3),
                                    LogicalType::Time(false, TimeUnit::kNanos),
                                    LogicalType::Timestamp(false, TimeUnit::kMillis),
                                    LogicalType::Integer(8, true)};
  for (LogicalType::Kind k :
       {LogicalType::Kind::kMap, LogicalType::Kind::kList, LogicalType::Kind::kNull,
        LogicalType::Kind::kBson, LogicalType::Kind::kFloat16}) {
    LogicalType t;
    t.kind = k;
    types.push_back(t);
  }
  for (const LogicalType& t : types) {
    SchemaElement e;
    e.name = "c";
    e.logical_type = t;
    SchemaElement back = RoundTrip(e);
    ASSERT_TRUE(back.logical_type.has_value()) << t.ToString();
    EXPECT_EQ(*back.logical_type, t) << t.ToString();
  }
}

TEST(MetadataTest, UnknownLogicalTypeIsPreservedByteForByte) {
  // SchemaElement { 4: name "c", 10: LogicalType { 40: struct { 1: i32 7 } } }
  std::string in = Bytes({0x48, 0x01, 'c', 0x6C, 0x0C, 80, 0x15, 0x0E, 0x00, 0x00, 0x00});
  SchemaElement e;
  ASSERT_TRUE(Deserialize(in, &e).ok());
  ASSERT_TRUE(e.logical_type.has_value());
  EXPECT_EQ(e.logical_type->kind, LogicalType::Kind::kUnknown);
  EXPECT_EQ(e.logical_type->union_field_id, 40);
  EXPECT_EQ(e.logical_type->ToString(), "UNKNOWN(40)");
  std::string out;
  Serialize(e, &out);
  EXPECT_EQ(out, in);
}

TEST(MetadataTest, PageHeaderFromHandBuiltBytes) {
  std::string in = Bytes({0x15, 0x00,        // type DATA_PAGE
                          0x15, 0xC8, 0x01,  // uncompressed 100
                          0x15, 0x64,        // compressed 50
                          0x2C,              // 5: data_page_header
                          0x15, 0x14, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06,
                          0x00, 0x00, 'p',  'a',  'g',  'e'});  // page bytes follow the header
  PageHeader h;
  size_t consumed = 0;
  ASSERT_TRUE(Deserialize(in, &h, &consumed).ok());
  EXPECT_EQ(consumed, in.size() - 4);
  EXPECT_EQ(h.type, PageType::kDataPage);
  EXPECT_EQ(h.uncompressed_page_size, 100);
  EXPECT_EQ(h.compressed_page_size, 50);
  ASSERT_TRUE(h.data_page_header.has_value());
  EXPECT_EQ(h.data_page_header->num_values, 10);
  EXPECT_EQ(h.data_page_header->encoding, Encoding::kPlain);
  EXPECT_EQ(h.data_page_header->definition_level_encoding, Encoding::kRle);
  std::string out;
  Serialize(h, &out);
  EXPECT_EQ(out, in.substr(0, consumed));
}

TEST(MetadataTest, PageHeadersOfEveryKindRoundTrip) {
  PageHeader dict;
  dict.type = PageType::kDictionaryPage;
  dict.uncompressed_page_size = 10;
  dict.compressed_page_size = 8;
  dict.crc = -12345;
  dict.dictionary_page_header = DictionaryPageHeader{3, Encoding::kPlain, false};
  EXPECT_EQ(RoundTrip(dict), dict);
  PageHeader v2;
  v2.type = PageType::kDataPageV2;
  v2.uncompressed_page_size = 1 << 20;
  v2.compressed_page_size = 1000;
  DataPageHeaderV2 d;
  d.num_values = 5;
  d.num_nulls = 1;
  d.num_rows = 5;
  d.encoding = Encoding::kDeltaBinaryPacked;
  d.definition_levels_byte_length = 3;
  d.is_compressed = false;
  d.statistics = SampleStatistics();
  v2.data_page_header_v2 = d;
  EXPECT_EQ(RoundTrip(v2), v2);
}

TEST(MetadataTest, PageIndexAndBloomHeaderRoundTrip) {
  ColumnIndex ci;
  ci.null_pages = {false, true, false};
  ci.min_values = {"a", "", "m"};
  ci.max_values = {"f", "", "z"};
  ci.boundary_order = BoundaryOrder::kAscending;
  ci.null_counts = std::vector<int64_t>{0, 100, 2};
  EXPECT_EQ(RoundTrip(ci), ci);
  OffsetIndex oi;
  for (int i = 0; i < 20; ++i) oi.page_locations.push_back({4 + i * 1000, 1000, i * 50});
  EXPECT_EQ(RoundTrip(oi), oi);
  BloomFilterHeader bf;
  bf.num_bytes = 1024;
  EXPECT_EQ(RoundTrip(bf), bf);
  std::string bytes;
  Serialize(bf, &bytes);
  // 1: i32 1024; 2: {1: {}}; 3: {1: {}}; 4: {1: {}}
  EXPECT_EQ(bytes, Bytes({0x15, 0x80, 0x10, 0x1C, 0x1C, 0x00, 0x00, 0x1C, 0x1C, 0x00, 0x00, 0x1C,
                          0x1C, 0x00, 0x00, 0x00}));
}

TEST(MetadataTest, UnknownFieldsAreSkipped) {
  // KeyValue inside a ColumnMetaData is easier to hand-build as a Statistics with extra fields:
  // { 3: i64 5, 20: list<binary> ["x"], 21: map {}, 6: binary "m" (long-form id) }
  std::string in = Bytes(
      {0x36, 0x0A, 0x09, 0x28, 0x19, 0x18, 0x01, 'x', 0x1B, 0x00, 0x08, 0x0C, 0x01, 'm', 0x00});
  Statistics s;
  ASSERT_TRUE(Deserialize(in, &s).ok());
  EXPECT_EQ(s.null_count, 5);
  EXPECT_EQ(s.min_value, "m");
}

TEST(MetadataTest, MissingRequiredFieldIsNamed) {
  std::string in = Bytes({0x15, 0x00, 0x15, 0x02, 0x00});  // PageHeader without compressed size
  PageHeader h;
  Status s = Deserialize(in, &h);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("compressed_page_size"), std::string::npos) << s.ToString();
}

TEST(MetadataTest, FieldWithAnotherWireTypeIsSkipped) {
  // Like Apache Thrift's readers: PageHeader.type sent as binary is skipped, and since it is
  // required, the header is then refused naming it.
  std::string in = Bytes({0x18, 0x01, 'x', 0x00});
  PageHeader h;
  Status s = Deserialize(in, &h);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("required field type is missing"), std::string::npos) << s.ToString();
  // An optional field with a foreign type is just skipped.
  std::string stats = Bytes({0x35, 0x02, 0x00});  // Statistics.null_count (i64) sent as i32
  Statistics st;
  ASSERT_TRUE(Deserialize(stats, &st).ok());
  EXPECT_FALSE(st.null_count.has_value());
}

TEST(MetadataTest, EveryTruncationOfAFooterIsAnError) {
  std::string bytes;
  Serialize(SampleFile(), &bytes);
  for (size_t len = 0; len < bytes.size(); ++len) {
    FileMetaData f;
    Status s = Deserialize(std::string_view(bytes).substr(0, len), &f);
    EXPECT_FALSE(s.ok()) << "prefix of " << len << " bytes decoded";
  }
}

TEST(MetadataTest, BitFlipsAndGarbageNeverCrash) {
  std::string bytes;
  Serialize(SampleFile(), &bytes);
  std::mt19937 rng(42);
  for (int i = 0; i < 5000; ++i) {
    std::string mutated = bytes;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int j = 0; j < flips; ++j)
      mutated[rng() % mutated.size()] ^= static_cast<char>(1 << (rng() % 8));
    FileMetaData f;
    Deserialize(mutated, &f).IgnoreError();  // OK or an error; must not crash or hang
  }
  for (int i = 0; i < 2000; ++i) {
    std::string garbage(rng() % 64, '\0');
    for (char& c : garbage) c = static_cast<char>(rng());
    PageHeader h;
    Deserialize(garbage, &h).IgnoreError();
    FileMetaData f;
    Deserialize(garbage, &f).IgnoreError();
  }
}

TEST(MetadataTest, EnumNamesIncludeUnknownValues) {
  EXPECT_EQ(EncodingName(Encoding::kRleDictionary), "RLE_DICTIONARY");
  EXPECT_EQ(EncodingName(static_cast<Encoding>(1)), "UNKNOWN(1)");
  EXPECT_EQ(CodecName(CompressionCodec::kLz4Raw), "LZ4_RAW");
  EXPECT_EQ(TypeName(Type::kFixedLenByteArray), "FIXED_LEN_BYTE_ARRAY");
  EXPECT_EQ(ConvertedTypeName(ConvertedType::kInterval), "INTERVAL");
  EXPECT_EQ(LogicalType::Timestamp(true, TimeUnit::kMicros).ToString(), "TIMESTAMP(MICROS,UTC)");
}

}  // namespace
}  // namespace saleslake::parquet
