#include "web/content_encoding.h"

#include <gtest/gtest.h>

#include <string>

#include "web/testing/http_test_client.h"

namespace saleslake::web {
namespace {

TEST(AcceptsGzipTest, ReadsCodingsAndQValues) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, gzip;q=0.5, br"));
  EXPECT_TRUE(AcceptsGzip("GZIP"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip(" gzip ; q=1.0 "));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("br"));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000"));
  EXPECT_FALSE(AcceptsGzip("*, gzip;q=0"));  // the explicit entry wins over the wildcard
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzipx"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=bogus"));
}

TEST(GzipEncoderTest, PiecesRoundTripThroughZlib) {
  auto encoder = GzipEncoder::Create(1);
  ASSERT_TRUE(encoder.ok());
  std::string original;
  std::string compressed;
  for (int i = 0; i < 5000; ++i) {
    std::string piece = "{\"n\":" + std::to_string(i * 7919 % 10007) + ",\"s\":\"abc\"},";
    original += piece;
    ASSERT_TRUE((*encoder)->Update(piece, &compressed).ok());
  }
  ASSERT_TRUE((*encoder)->Finish(&compressed).ok());
  EXPECT_LT(compressed.size(), original.size() / 2);
  auto restored = testing::Gunzip(compressed);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(*restored, original);
}

TEST(GzipEncoderTest, EmptyStreamIsAValidGzipMember) {
  auto encoder = GzipEncoder::Create(6);
  ASSERT_TRUE(encoder.ok());
  std::string compressed;
  ASSERT_TRUE((*encoder)->Finish(&compressed).ok());
  auto restored = testing::Gunzip(compressed);
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(*restored, "");
}

TEST(GzipEncoderTest, RejectsABadLevel) { EXPECT_FALSE(GzipEncoder::Create(42).ok()); }

TEST(GunzipTest, RejectsTruncatedInput) {
  auto encoder = GzipEncoder::Create(1);
  ASSERT_TRUE(encoder.ok());
  std::string compressed;
  ASSERT_TRUE((*encoder)->Update(std::string(10000, 'x'), &compressed).ok());
  ASSERT_TRUE((*encoder)->Finish(&compressed).ok());
  compressed.resize(compressed.size() - 4);
  EXPECT_FALSE(testing::Gunzip(compressed).ok());
}

}  // namespace
}  // namespace saleslake::web
