#include "parquet/thrift/compact_protocol.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace saleslake::parquet::thrift {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(CompactWriterTest, FieldHeadersUseDeltasAndLongFormForBigJumps) {
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.FieldI32(1, 0);     // delta 1, i32 (5)
  w.FieldI32(2, -1);    // zigzag(-1) = 1
  w.FieldI64(20, 150);  // delta 18 > 15: long form, id as zigzag varint 40
  w.FieldBool(21, true);
  w.FieldBool(22, false);
  w.EndStruct();
  EXPECT_EQ(out, Bytes({0x15, 0x00, 0x15, 0x01, 0x06, 40, 0xAC, 0x02, 0x11, 0x12, 0x00}));
}

TEST(CompactWriterTest, ListHeadersShortAndLong) {
  std::string out;
  CompactWriter w(&out);
  w.ListBegin(CType::kI32, 3);
  w.ListBegin(CType::kBinary, 20);
  EXPECT_EQ(out, Bytes({0x35, 0xF8, 20}));
}

TEST(CompactReaderTest, ReadsWhatTheWriterWrote) {
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.FieldI8(1, -5);
  w.FieldI16(2, -300);
  w.FieldI32(3, std::numeric_limits<int32_t>::min());
  w.FieldI64(4, std::numeric_limits<int64_t>::max());
  w.FieldDouble(5, 2.5);
  w.FieldBinary(6, "hello");
  w.FieldListBegin(7, CType::kBoolTrue, 2);
  w.ElementBool(true);
  w.ElementBool(false);
  w.FieldBool(300, true);
  w.EndStruct();

  CompactReader r(out);
  ASSERT_TRUE(r.BeginStruct().ok());
  int16_t id;
  CType type;
  ASSERT_TRUE(r.ReadFieldHeader(&id, &type).ok());
  EXPECT_EQ(id, 1);
  int8_t i8;
  ASSERT_TRUE(r.ReadI8(&i8).ok());
  EXPECT_EQ(i8, -5);
  ASSERT_TRUE(r.ReadFieldHeader(&id, &type).ok());
  int16_t i16;
  ASSERT_TRUE(r.ReadI16(&i16).ok());
  EXPECT_EQ(i16, -300);
  ASSERT_TRUE(r.ReadFieldHeader(&id, &type).ok());
  int32_t i32;
  ASSERT_TRUE(r.ReadI32(&i32).ok());
  EXPECT_EQ(i32, std::numeric_limits<int32_t>::min());
  ASSERT_TRUE(r.ReadFieldHeader(&id, &type).ok());
  int64_t i64;
  ASSERT_TRUE(r.ReadI64(&i64).ok());
  EXPECT_EQ(i64, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(r.ReadFieldHeader(&id, &type).ok());
  double d;
  ASSERT_TRUE(r.ReadDouble(&d).ok());
  EXPECT_EQ(d, 2.5);
  ASSERT_TRUE(r.ReadFieldHeader(&id, &type).ok());
  std::string s;
  ASSERT_TRUE(r.ReadBinary(&s).ok());
  EXPECT_EQ(s, "hello");
  ASSERT_TRUE(r.ReadFieldHeader(&id, &type).ok());
  EXPECT_EQ(type, CType::kList);
  CType element;
  uint32_t n;
  ASSERT_TRUE(r.ReadListHeader(&element, &n).ok());
  EXPECT_EQ(n, 2u);
  bool b;
  ASSERT_TRUE(r.ReadBool(&b).ok());
  EXPECT_TRUE(b);
  ASSERT_TRUE(r.ReadBool(&b).ok());
  EXPECT_FALSE(b);
  ASSERT_TRUE(r.ReadFieldHeader(&id, &type).ok());
  EXPECT_EQ(id, 300);
  ASSERT_TRUE(r.ReadBool(&b).ok());
  EXPECT_TRUE(b);
  ASSERT_TRUE(r.ReadFieldHeader(&id, &type).ok());
  EXPECT_EQ(type, CType::kStop);
  r.EndStruct();
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(CompactReaderTest, SkipsEveryTypeIncludingMapsAndSets) {
  // struct { 1: map<i32,binary> {7: "x"}, 2: set<i64> {1,2}, 3: struct { 1: double }, 4: uuid }
  std::string in = Bytes(
      {0x1B, 0x01, 0x58, 0x0E, 0x01, 'x',                          // map
       0x1A, 0x26, 0x02, 0x04,                                     // set
       0x1C, 0x17, 0,    0,    0,    0,   0, 0, 0xF0, 0x3F, 0x00,  // struct{double}
       0x1D, 1,    2,    3,    4,    5,   6, 7, 8,    9,    10,   11, 12, 13, 14, 15, 16,  // uuid
       0x00});
  CompactReader r(in);
  ASSERT_TRUE(r.Skip(CType::kStruct).ok());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(CompactReaderTest, TruncatedInputsAreCorruption) {
  std::string full = Bytes({0x18, 0x05, 'h', 'e', 'l', 'l', 'o', 0x00});
  for (size_t len = 0; len < full.size(); ++len) {
    CompactReader r(std::string_view(full).substr(0, len));
    Status s = r.Skip(CType::kStruct);
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << "prefix " << len;
  }
  CompactReader ok(full);
  EXPECT_TRUE(ok.Skip(CType::kStruct).ok());
}

TEST(CompactReaderTest, OverlongVarintIsCorruption) {
  std::string in(11, '\xFF');
  CompactReader r(in);
  int64_t v;
  Status s = r.ReadI64(&v);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("varint"), std::string::npos);
}

TEST(CompactReaderTest, LyingLengthsNeverAllocate) {
  // A binary claiming 2^40 bytes, and a list claiming 1M elements, in a 10-byte input.
  std::string big_string = Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x20});
  CompactReader r1(big_string);
  std::string s;
  EXPECT_FALSE(r1.ReadBinary(&s).ok());
  std::string big_list = Bytes({0xF5, 0x80, 0x89, 0x7A});
  CompactReader r2(big_list);
  CType element;
  uint32_t n = 0;
  Status st = r2.ReadListHeader(&element, &n);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("cannot fit"), std::string::npos);
}

TEST(CompactReaderTest, CapsAreEnforced) {
  DecodeLimits limits;
  limits.max_string_bytes = 3;
  limits.max_list_size = 2;
  std::string in = Bytes({0x04, 'a', 'b', 'c', 'd'});
  CompactReader r(in, limits);
  std::string s;
  EXPECT_EQ(r.ReadBinary(&s).code(), StatusCode::kResourceExhausted);
  std::string list = Bytes({0x35, 1, 2, 3});
  CompactReader r2(list, limits);
  CType element;
  uint32_t n;
  EXPECT_EQ(r2.ReadListHeader(&element, &n).code(), StatusCode::kResourceExhausted);
}

TEST(CompactReaderTest, DeepNestingIsRefused) {
  // 100 nested struct fields: 0x1C repeated, never closed.
  std::string in(100, '\x1C');
  DecodeLimits limits;
  limits.max_depth = 16;
  CompactReader r(in, limits);
  Status s = r.Skip(CType::kStruct);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("nested deeper"), std::string::npos);
}

TEST(CompactReaderTest, UnknownTypeNibbleIsCorruption) {
  std::string in = Bytes({0x1E, 0x00});  // field 1 of type 14
  CompactReader r(in);
  EXPECT_EQ(r.Skip(CType::kStruct).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace saleslake::parquet::thrift
