#include "compress/codec.h"

#include <gtest/gtest.h>
#include <lz4.h>
#include <lz4frame.h>

#include <random>
#include <string>
#include <vector>

namespace saleslake::compress {
namespace {

std::unique_ptr<Codec> Make(CodecType type) {
  auto codec = MakeCodec(type);
  EXPECT_TRUE(codec.ok()) << codec.status().ToString();
  return std::move(codec).value();
}

std::vector<std::string> SampleInputs() {
  std::mt19937 rng(7);
  std::string random(300000, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  std::string text;
  while (text.size() < 700000) text += "store_id=S012,product=Laptop 15 inch,price=118999.15;";
  return {"", "a", "hello hello hello hello", random, text, std::string(1 << 20, '\0')};
}

class RoundTripTest : public ::testing::TestWithParam<CodecType> {};

TEST_P(RoundTripTest, CompressThenDecompressGivesTheInput) {
  auto codec = Make(GetParam());
  for (const std::string& input : SampleInputs()) {
    std::string compressed = "prefix";  // Compress appends
    ASSERT_TRUE(codec->Compress(input, &compressed).ok());
    ASSERT_EQ(compressed.substr(0, 6), "prefix");
    std::string_view body = std::string_view(compressed).substr(6);
    std::string out;
    Status s = codec->Decompress(body, input.size(), &out);
    ASSERT_TRUE(s.ok()) << CodecTypeName(GetParam()) << " size " << input.size() << ": "
                        << s.ToString();
    EXPECT_EQ(out, input);
  }
}

// One scratch buffer reused for inputs of every size (larger, then smaller: the room left by a
// larger one must not leak into a smaller one's bytes) gives Compress's bytes each time.
TEST_P(RoundTripTest, CompressToScratchGivesCompressBytes) {
  auto codec = Make(GetParam());
  std::string scratch;
  std::vector<std::string> inputs = SampleInputs();
  inputs.push_back(inputs[4]);
  inputs.push_back("a");
  for (const std::string& input : inputs) {
    std::string expected;
    ASSERT_TRUE(codec->Compress(input, &expected).ok());
    auto got = codec->CompressToScratch(input, &scratch);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_TRUE(*got == expected) << CodecTypeName(GetParam()) << " size " << input.size();
  }
}

TEST_P(RoundTripTest, WrongDeclaredSizeIsCorruption) {
  auto codec = Make(GetParam());
  const std::string input = SampleInputs()[4];
  std::string compressed;
  ASSERT_TRUE(codec->Compress(input, &compressed).ok());
  std::string out;
  // Declaring fewer bytes than the stream holds is the decompression-bomb case: it must stop at
  // the declared size and fail, never write past it.
  Status smaller = codec->Decompress(compressed, input.size() - 1, &out);
  EXPECT_EQ(smaller.code(), StatusCode::kCorruption) << smaller.ToString();
  Status larger = codec->Decompress(compressed, input.size() + 1, &out);
  EXPECT_EQ(larger.code(), StatusCode::kCorruption) << larger.ToString();
}

TEST_P(RoundTripTest, GarbageAndTruncationAreErrorsNotCrashes) {
  auto codec = Make(GetParam());
  const std::string input = SampleInputs()[4];
  std::string compressed;
  ASSERT_TRUE(codec->Compress(input, &compressed).ok());
  std::string out;
  for (size_t cut :
       {size_t{0}, size_t{1}, size_t{5}, compressed.size() / 2, compressed.size() - 1}) {
    EXPECT_FALSE(
        codec->Decompress(std::string_view(compressed).substr(0, cut), input.size(), &out).ok())
        << "cut at " << cut;
  }
  std::mt19937 rng(11);
  for (int i = 0; i < 200; ++i) {
    std::string bad = compressed;
    bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    // A flipped bit may still decode (to other bytes); what matters is no crash and no overrun,
    // which the sanitizer build checks.
    Status s = codec->Decompress(bad, input.size(), &out);
    if (s.ok()) {
      EXPECT_EQ(out.size(), input.size());
    }
  }
}

TEST_P(RoundTripTest, MaxDecompressedSizeBoundsTheTruthAndRefusesBombsUpFront) {
  auto codec = Make(GetParam());
  for (const std::string& input : SampleInputs()) {
    std::string compressed;
    ASSERT_TRUE(codec->Compress(input, &compressed).ok());
    EXPECT_GE(codec->MaxDecompressedSize(compressed), input.size());
  }
  // A few bytes claiming a gigabyte are refused before any buffer is sized for them.
  std::string tiny;
  ASSERT_TRUE(codec->Compress("abc", &tiny).ok());
  std::string out;
  Status s = codec->Decompress(tiny, size_t{1} << 30, &out);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_LT(out.capacity(), size_t{1} << 20);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, RoundTripTest,
                         ::testing::Values(CodecType::kUncompressed, CodecType::kSnappy,
                                           CodecType::kGzip, CodecType::kZstd, CodecType::kLz4Raw,
                                           CodecType::kLz4),
                         [](const auto& info) { return std::string(CodecTypeName(info.param)); });

TEST(GzipTest, ConcatenatedMembersAreOneStream) {
  auto codec = Make(CodecType::kGzip);
  std::string compressed;
  ASSERT_TRUE(codec->Compress("first member;", &compressed).ok());
  ASSERT_TRUE(codec->Compress("second member", &compressed).ok());
  std::string out;
  ASSERT_TRUE(codec->Decompress(compressed, 26, &out).ok());
  EXPECT_EQ(out, "first member;second member");
}

TEST(GzipTest, TrailingGarbageIsRejected) {
  auto codec = Make(CodecType::kGzip);
  std::string compressed;
  ASSERT_TRUE(codec->Compress("abc", &compressed).ok());
  compressed += "xyz";
  std::string out;
  EXPECT_EQ(codec->Decompress(compressed, 3, &out).code(), StatusCode::kCorruption);
}

TEST(ZstdTest, BombIsStoppedAtTheDeclaredSize) {
  auto codec = Make(CodecType::kZstd);
  std::string compressed;
  ASSERT_TRUE(codec->Compress(std::string(64 << 20, 'x'), &compressed).ok());
  EXPECT_LT(compressed.size(), 10000u);
  std::string out;
  Status s = codec->Decompress(compressed, 4096, &out);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("more than the declared 4096"), std::string::npos) << s.message();
}

// Older writers labelled other LZ4 shapes "LZ4"; the legacy codec reads them all.
TEST(Lz4LegacyTest, ReadsBareBlocksAndFrames) {
  const std::string input = SampleInputs()[4];
  auto codec = Make(CodecType::kLz4);
  std::string out;

  std::string block(static_cast<size_t>(LZ4_compressBound(static_cast<int>(input.size()))), '\0');
  int n = LZ4_compress_default(input.data(), block.data(), static_cast<int>(input.size()),
                               static_cast<int>(block.size()));
  ASSERT_GT(n, 0);
  block.resize(static_cast<size_t>(n));
  ASSERT_TRUE(codec->Decompress(block, input.size(), &out).ok());
  EXPECT_EQ(out, input);

  std::string frame(LZ4F_compressFrameBound(input.size(), nullptr), '\0');
  size_t fn = LZ4F_compressFrame(frame.data(), frame.size(), input.data(), input.size(), nullptr);
  ASSERT_FALSE(LZ4F_isError(fn));
  frame.resize(fn);
  ASSERT_TRUE(codec->Decompress(frame, input.size(), &out).ok());
  EXPECT_EQ(out, input);
  EXPECT_EQ(codec->Decompress(frame, input.size() - 10, &out).code(), StatusCode::kCorruption);
}

TEST(Lz4LegacyTest, WritesHadoopFramingInBlocksOf256KiB) {
  auto codec = Make(CodecType::kLz4);
  const std::string input(600 * 1024, 'q');
  std::string compressed;
  ASSERT_TRUE(codec->Compress(input, &compressed).ok());
  // First block header: big-endian 262144 (256 KiB) uncompressed bytes.
  ASSERT_GE(compressed.size(), 8u);
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x00);
  EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x04);
  EXPECT_EQ(static_cast<unsigned char>(compressed[2]), 0x00);
  EXPECT_EQ(static_cast<unsigned char>(compressed[3]), 0x00);
}

TEST(CodecFactoryTest, UnsupportedCodecsSayWhich) {
  auto brotli = MakeCodec(CodecType::kBrotli);
  ASSERT_FALSE(brotli.ok());
  EXPECT_EQ(brotli.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(brotli.status().message().find("BROTLI"), std::string::npos);
  EXPECT_EQ(MakeCodec(CodecType::kLzo).status().code(), StatusCode::kNotSupported);
}

TEST(CodecFactoryTest, NamesAndParquetNumbers) {
  EXPECT_EQ(*CodecTypeFromName("ZSTD"), CodecType::kZstd);
  EXPECT_EQ(*CodecTypeFromName("none"), CodecType::kUncompressed);
  EXPECT_EQ(CodecTypeFromName("brotlix").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*CodecTypeFromParquet(7), CodecType::kLz4Raw);
  EXPECT_EQ(CodecTypeFromParquet(8).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(CodecTypeFromParquet(-1).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(MakeCodec(CodecType::kZstd, {.level = 99}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace saleslake::compress
