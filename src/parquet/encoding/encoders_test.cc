// Encoders checked against the decoders and against hand-computed bytes from Encodings.md.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

#include "parquet/bloom_filter.h"
#include "parquet/encoding/delta_binary_packed_decoder.h"
#include "parquet/encoding/delta_binary_packed_encoder.h"
#include "parquet/encoding/dictionary_encoder.h"
#include "parquet/encoding/plain_encoder.h"
#include "parquet/encoding/rle_decoder.h"
#include "parquet/encoding/rle_encoder.h"

namespace saleslake::parquet {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

std::vector<uint32_t> RleRoundTrip(const std::vector<uint32_t>& values, int width) {
  std::string encoded;
  EncodeRleBitPacked(values.data(), values.size(), width, &encoded);
  std::vector<uint32_t> back(values.size());
  RleBitPackedDecoder decoder(encoded, width);
  Status s = decoder.Decode(back.data(), back.size());
  EXPECT_TRUE(s.ok()) << s.ToString();
  return back;
}

TEST(RleEncoderTest, SpecExampleBitPacking) {
  // Encodings.md: 0..7 with bit width 3 bit-packed is 10001000 11000110 11111010.
  std::vector<uint32_t> v = {0, 1, 2, 3, 4, 5, 6, 7};
  std::string out;
  EncodeRleBitPacked(v.data(), v.size(), 3, &out);
  EXPECT_EQ(out, Bytes({0x03, 0x88, 0xC6, 0xFA}));
}

TEST(RleEncoderTest, LongRunsBecomeRleRuns) {
  std::vector<uint32_t> v(1000, 5);
  std::string out;
  EncodeRleBitPacked(v.data(), v.size(), 3, &out);
  EXPECT_EQ(out, Bytes({0xD0, 0x0F, 0x05}));  // header 1000 << 1 as ULEB128, then the value
}

TEST(RleEncoderTest, MixedRunsRoundTrip) {
  std::mt19937 rng(7);
  for (int width : {1, 2, 7, 8, 9, 16, 20, 31, 32}) {
    std::vector<uint32_t> v;
    const uint64_t mask = width == 32 ? 0xFFFFFFFFull : ((uint64_t{1} << width) - 1);
    while (v.size() < 5000) {
      const uint32_t x = static_cast<uint32_t>(rng() & mask);
      const size_t run = rng() % 3 == 0 ? 1 + rng() % 40 : 1;
      v.insert(v.end(), run, x);
    }
    EXPECT_EQ(RleRoundTrip(v, width), v) << "width " << width;
  }
}

// Bit by bit, least significant first: what every packing path must produce.
std::string ReferencePack(const std::vector<uint64_t>& values, int width) {
  std::string out((values.size() * static_cast<size_t>(width) + 7) / 8, '\0');
  for (size_t i = 0; i < values.size(); ++i) {
    for (int b = 0; b < width; ++b) {
      const size_t bit = i * static_cast<size_t>(width) + static_cast<size_t>(b);
      if ((values[i] >> b) & 1) out[bit / 8] = static_cast<char>(out[bit / 8] | (1 << (bit % 8)));
    }
  }
  return out;
}

TEST(RleEncoderTest, PackBitsMatchesBitByBitForEveryWidthAndCount) {
  std::mt19937_64 rng(11);
  for (int width = 1; width <= 64; ++width) {
    const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    for (size_t count : {1, 7, 8, 9, 16, 31, 32, 33, 100, 504, 505}) {
      std::vector<uint64_t> v(count);
      for (uint64_t& x : v) x = rng() & mask;
      std::string packed64 = "prefix";
      PackBits(v.data(), v.size(), width, &packed64);
      EXPECT_EQ(packed64, "prefix" + ReferencePack(v, width)) << width << " bits x " << count;
      if (width <= 32) {
        std::vector<uint32_t> v32(v.begin(), v.end());
        std::string packed32;
        PackBits(v32.data(), v32.size(), width, &packed32);
        EXPECT_EQ(packed32, ReferencePack(v, width)) << width << " bits x " << count;
      }
    }
  }
}

TEST(RleEncoderTest, LevelsWithLengthPrefix) {
  std::vector<uint8_t> levels = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
  std::string out;
  EncodeLengthPrefixedLevels(levels.data(), levels.size(), 1, &out);
  std::string_view rest = out;
  auto stream = TakeLengthPrefixed(&rest, "levels");
  ASSERT_TRUE(stream.ok());
  EXPECT_TRUE(rest.empty());
  std::vector<uint8_t> back(levels.size());
  RleBitPackedDecoder decoder(*stream, 1);
  ASSERT_TRUE(decoder.Decode(back.data(), back.size()).ok());
  EXPECT_EQ(back, levels);
}

template <typename T>
std::vector<T> DeltaRoundTrip(const std::vector<T>& values) {
  std::string encoded;
  EncodeDeltaBinaryPacked(values.data(), values.size(), &encoded);
  DeltaBinaryPackedDecoder decoder;
  EXPECT_TRUE(decoder.Init(encoded).ok());
  EXPECT_EQ(decoder.total_values(), values.size());
  std::vector<T> back(values.size());
  Status s = decoder.Decode(back.data(), back.size());
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(decoder.bytes_consumed(), encoded.size());
  return back;
}

TEST(DeltaEncoderTest, SpecExampleHeader) {
  // 1..5: header 128, 4, 5, zigzag(1)=2; block: min delta 1 (zigzag 2), widths 0.
  std::vector<int32_t> v = {1, 2, 3, 4, 5};
  std::string out;
  EncodeDeltaBinaryPacked(v.data(), v.size(), &out);
  EXPECT_EQ(out, Bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0}));
}

TEST(DeltaEncoderTest, ExtremesAndWrapping) {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> v64 = {0, hi, lo, hi, -1, 1, lo, 0};
  EXPECT_EQ(DeltaRoundTrip(v64), v64);
  std::vector<int32_t> v32 = {std::numeric_limits<int32_t>::max(),
                              std::numeric_limits<int32_t>::min(), 0, -5, 77};
  EXPECT_EQ(DeltaRoundTrip(v32), v32);
  std::vector<int32_t> empty;
  EXPECT_EQ(DeltaRoundTrip(empty), empty);
}

TEST(DeltaEncoderTest, RandomLengthsAcrossBlockBoundaries) {
  std::mt19937_64 rng(3);
  for (size_t n : {1, 2, 31, 32, 33, 127, 128, 129, 130, 1000, 4097}) {
    std::vector<int64_t> v(n);
    int64_t t = 1'700'000'000'000'000;
    for (auto& x : v) x = t += static_cast<int64_t>(rng() % 1'000'000) - 300'000;
    EXPECT_EQ(DeltaRoundTrip(v), v) << n;
  }
}

TEST(DictionaryEncoderTest, IdsAreDenseInFirstSeenOrder) {
  ByteArrayDictionary d;
  EXPECT_EQ(d.IdOf("b"), 0u);
  EXPECT_EQ(d.IdOf("a"), 1u);
  EXPECT_EQ(d.IdOf("b"), 0u);
  EXPECT_EQ(d.IdOf(""), 2u);
  std::string plain;
  d.AppendPlain(false, &plain);
  EXPECT_EQ(plain, Bytes({1, 0, 0, 0, 'b', 1, 0, 0, 0, 'a', 0, 0, 0, 0}));
  // Many values force the table to grow; ids stay stable.
  for (int i = 0; i < 100'000; ++i) ASSERT_EQ(d.IdOf("k" + std::to_string(i)), 3u + i);
  for (int i = 0; i < 100'000; i += 997) ASSERT_EQ(d.IdOf("k" + std::to_string(i)), 3u + i);
  FixedDictionary<double> f;
  EXPECT_EQ(f.IdOf(0.0), 0u);
  EXPECT_EQ(f.IdOf(-0.0), 1u);  // different bits, different entries
  EXPECT_EQ(f.IdOf(0.0), 0u);
}

TEST(PlainEncoderTest, BooleansAreLsbFirst) {
  std::vector<uint8_t> v = {1, 0, 1, 1, 0, 0, 0, 0, 1};
  std::string out;
  AppendPlainBooleans(v.data(), v.size(), &out);
  EXPECT_EQ(out, Bytes({0x0D, 0x01}));
}

TEST(BloomFilterTest, SizingAndMembership) {
  EXPECT_EQ(SplitBlockBloomFilter::OptimalBytes(0, 0.01), SplitBlockBloomFilter::kMinBytes);
  // About 9.7 bits per value at 1% with eight hashes: 100k values fit 128 KiB.
  EXPECT_EQ(SplitBlockBloomFilter::OptimalBytes(100'000, 0.01), 128u * 1024);
  SplitBlockBloomFilter f(1024);
  for (int i = 0; i < 100; ++i) f.InsertHash(SplitBlockBloomFilter::HashValue<int64_t>(i));
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(f.MightContainHash(SplitBlockBloomFilter::HashValue<int64_t>(i)));
  }
  EXPECT_FALSE(SplitBlockBloomFilter::FromBitset(std::string(100, '\0')).ok());
}

TEST(BloomFilterTest, XxHash64KnownValue) {
  // XXH64 of the empty input with seed 0 (from the xxHash specification's test vectors).
  EXPECT_EQ(SplitBlockBloomFilter::Hash(""), 0xEF46DB3751D8E999ull);
}

}  // namespace
}  // namespace saleslake::parquet
