// Decoders against hand-built bytes (the examples of Encodings.md and small cases worked out by
// hand), plus round trips through a tiny reference encoder for DELTA_BINARY_PACKED.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "parquet/encoding/bit_unpack.h"
#include "parquet/encoding/byte_stream_split_decoder.h"
#include "parquet/encoding/delta_binary_packed_decoder.h"
#include "parquet/encoding/delta_byte_array_decoder.h"
#include "parquet/encoding/plain_decoder.h"
#include "parquet/encoding/rle_decoder.h"

namespace saleslake::parquet {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

TEST(RleDecoderTest, BitPackedRunFromTheSpec) {
  // Values 0..7 with bit width 3: one group, header (1 << 1) | 1.
  const std::string d_bytes = Bytes({0x03, 0x88, 0xC6, 0xFA});
  RleBitPackedDecoder d(d_bytes, 3);
  uint32_t out[8];
  ASSERT_TRUE(d.Decode(out, 8).ok());
  for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(out[i], i);
  EXPECT_EQ(d.Decode(out, 1).code(), StatusCode::kCorruption);  // nothing left
}

TEST(RleDecoderTest, RleRunsThenBitPacked) {
  // 300 x 5 (RLE, width 3), then 0..7 bit-packed.
  std::string data = Bytes({0xD8, 0x04, 0x05, 0x03, 0x88, 0xC6, 0xFA});  // 300 << 1 = 600
  RleBitPackedDecoder d(data, 3);
  std::vector<uint8_t> out(308);
  ASSERT_TRUE(d.Decode(out.data(), out.size()).ok());
  for (int i = 0; i < 300; ++i) ASSERT_EQ(out[i], 5);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(out[300 + i], i);
}

TEST(RleDecoderTest, ValueWiderThanTheBitWidthIsCorruption) {
  const std::string d_bytes = Bytes({0x10, 0x09});
  RleBitPackedDecoder d(d_bytes, 3);  // 8 x 9, but 9 needs 4 bits
  uint32_t out[8];
  EXPECT_EQ(d.Decode(out, 8).code(), StatusCode::kCorruption);
}

TEST(RleDecoderTest, DictionaryIndicesAreBoundsChecked) {
  const std::string d_bytes = Bytes({0x10, 0x07});
  RleBitPackedDecoder d(d_bytes, 3);
  uint32_t out[8];
  Status s = d.DecodeBounded(out, 8, 7);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("out of range"), std::string::npos);
}

TEST(RleDecoderTest, TruncatedAndHostileStreams) {
  uint32_t out[64];
  // Varint header that never ends.
  const std::string a_bytes = Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  RleBitPackedDecoder a(a_bytes, 1);
  EXPECT_FALSE(a.Decode(out, 1).ok());
  // A bit-packed run claiming 2^30 groups with 2 bytes present yields 16 values, not a crash.
  const std::string b_bytes = Bytes({0x81, 0x80, 0x80, 0x80, 0x08, 0xFF, 0xFF});
  RleBitPackedDecoder b(b_bytes, 1);
  ASSERT_TRUE(b.Decode(out, 16).ok());
  EXPECT_EQ(out[15], 1u);
  EXPECT_FALSE(b.Decode(out, 1).ok());
  // An RLE run cut off before its value.
  const std::string c_bytes = Bytes({0x10});
  RleBitPackedDecoder c(c_bytes, 8);
  EXPECT_FALSE(c.Decode(out, 1).ok());
  // Width over 32.
  const std::string w_bytes = Bytes({0x10, 0, 0, 0, 0, 0});
  RleBitPackedDecoder w(w_bytes, 33);
  EXPECT_FALSE(w.Decode(out, 1).ok());
  // Width 0: every value is 0, no value bytes.
  const std::string z_bytes = Bytes({0x10});
  RleBitPackedDecoder z(z_bytes, 0);
  ASSERT_TRUE(z.Decode(out, 8).ok());
  EXPECT_EQ(out[7], 0u);
}

TEST(RleDecoderTest, LengthPrefixAndLegacyBitPacked) {
  std::string page = Bytes({0x02, 0x00, 0x00, 0x00, 0x10, 0x01, 0xAA});
  std::string_view rest = page;
  auto stream = TakeLengthPrefixed(&rest, "definition levels");
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(stream->size(), 2u);
  EXPECT_EQ(rest.size(), 1u);
  std::string_view lying = std::string_view("\x09\x00\x00\x00\x01", 5);
  EXPECT_FALSE(TakeLengthPrefixed(&lying, "levels").ok());

  // BIT_PACKED, width 1, MSB first: 0b10110000 -> 1,0,1,1,0
  std::string legacy = Bytes({0xB0});
  std::string_view in = legacy;
  uint8_t levels[5];
  ASSERT_TRUE(DecodeLegacyBitPackedLevels(&in, 1, levels, 5).ok());
  EXPECT_EQ(std::vector<uint8_t>(levels, levels + 5), (std::vector<uint8_t>{1, 0, 1, 1, 0}));
  std::string_view shortin = legacy;
  EXPECT_FALSE(DecodeLegacyBitPackedLevels(&shortin, 1, levels, 9).ok());
}

TEST(PlainDecoderTest, AllPhysicalTypes) {
  std::string page = Bytes({0x05, 0x00, 0x00, 0x00,                          // int32 5
                            0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // int64 -2
                            0x0D,                                            // bools 1,0,1,1
                            0x03, 0x00, 0x00, 0x00, 'a',  'b',  'c',         // "abc"
                            0x00, 0x00, 0x00, 0x00,                          // ""
                            'x',  'y',  'z',  'w'});                         // FLBA(2) x2
  std::string_view in = page;
  int32_t i32;
  int64_t i64;
  uint8_t bools[4];
  std::string_view strings[2], flba[2];
  ASSERT_TRUE(DecodePlainFixed(&in, 1, &i32).ok());
  ASSERT_TRUE(DecodePlainFixed(&in, 1, &i64).ok());
  ASSERT_TRUE(DecodePlainBooleans(&in, 4, bools).ok());
  ASSERT_TRUE(DecodePlainByteArrays(&in, 2, strings).ok());
  ASSERT_TRUE(DecodePlainFixedLenByteArrays(&in, 2, 2, flba).ok());
  EXPECT_EQ(i32, 5);
  EXPECT_EQ(i64, -2);
  EXPECT_EQ(std::vector<uint8_t>(bools, bools + 4), (std::vector<uint8_t>{1, 0, 1, 1}));
  EXPECT_EQ(strings[0], "abc");
  EXPECT_EQ(strings[1], "");
  EXPECT_EQ(flba[0], "xy");
  EXPECT_EQ(flba[1], "zw");
  EXPECT_TRUE(in.empty());
}

TEST(PlainDecoderTest, ShortPagesAreCorruption) {
  std::string page = Bytes({0x05, 0x00, 0x00});
  std::string_view in = page;
  int32_t i32;
  EXPECT_EQ(DecodePlainFixed(&in, 1, &i32).code(), StatusCode::kCorruption);
  std::string lying = Bytes({0xFF, 0xFF, 0xFF, 0x7F, 'a'});
  std::string_view in2 = lying;
  std::string_view s;
  Status st = DecodePlainByteArrays(&in2, 1, &s);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("claims 2147483647 bytes"), std::string::npos) << st.message();
  std::string_view in3 = lying;
  std::string_view f[3];
  EXPECT_FALSE(DecodePlainFixedLenByteArrays(&in3, 3, 2, f).ok());
  EXPECT_FALSE(DecodePlainFixedLenByteArrays(&in3, 1, 0, f).ok());
}

TEST(DeltaBinaryPackedTest, ExamplesFromTheSpec) {
  // 1, 2, 3, 4, 5: every delta is the minimum, bit width 0.
  std::string one = Bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0});
  DeltaBinaryPackedDecoder d;
  ASSERT_TRUE(d.Init(one).ok());
  int64_t out[8];
  ASSERT_TRUE(d.Decode(out, 5).ok());
  EXPECT_EQ(std::vector<int64_t>(out, out + 5), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(d.bytes_consumed(), one.size());

  // 7, 5, 3, 1, 2, 3, 4, 5: min delta -2, relative deltas 0 0 0 3 3 3 3 in 2 bits.
  std::string two =
      Bytes({0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0, 0, 0, 0xC0, 0xFF, 0, 0, 0, 0, 0, 0});
  ASSERT_TRUE(d.Init(two).ok());
  int32_t out32[8];
  ASSERT_TRUE(d.Decode(out32, 8).ok());
  EXPECT_EQ(std::vector<int32_t>(out32, out32 + 8), (std::vector<int32_t>{7, 5, 3, 1, 2, 3, 4, 5}));
  EXPECT_EQ(d.bytes_consumed(), two.size());
  EXPECT_FALSE(d.Decode(out32, 1).ok());  // more than declared
}

TEST(DeltaBinaryPackedTest, HostileHeaders) {
  DeltaBinaryPackedDecoder d;
  EXPECT_FALSE(d.Init(Bytes({0x81, 0x01, 0x04, 0x05, 0x02})).ok());  // block 129
  EXPECT_FALSE(d.Init(Bytes({0x80, 0x01, 0x03, 0x05, 0x02})).ok());  // 128/3
  EXPECT_FALSE(d.Init(Bytes({0x80, 0x01, 0x00, 0x05, 0x02})).ok());  // 0 miniblocks
  EXPECT_FALSE(d.Init(Bytes({0x80, 0x01})).ok());                    // truncated
  // Bit width 65.
  const std::string wide = Bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 65, 0, 0, 0});
  ASSERT_TRUE(d.Init(wide).ok());
  int64_t out[5];
  EXPECT_FALSE(d.Decode(out, 5).ok());
  // Miniblock bytes missing.
  const std::string cut = Bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 8, 0, 0, 0, 1});
  ASSERT_TRUE(d.Init(cut).ok());
  EXPECT_FALSE(d.Decode(out, 5).ok());
}

// A small reference encoder (block 128, 4 miniblocks) for round trips.
void AppendUleb(std::string* out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out->push_back(static_cast<char>(b));
  } while (v);
}
uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

std::string EncodeDelta(const std::vector<int64_t>& values) {
  std::string out;
  AppendUleb(&out, 128);
  AppendUleb(&out, 4);
  AppendUleb(&out, values.size());
  AppendUleb(&out, ZigZag(values.empty() ? 0 : values[0]));
  for (size_t start = 1; start < values.size(); start += 128) {
    std::vector<uint64_t> deltas;
    for (size_t i = start; i < values.size() && i < start + 128; ++i) {
      deltas.push_back(static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(values[i - 1]));
    }
    int64_t min = static_cast<int64_t>(deltas[0]);
    for (uint64_t d : deltas) min = std::min(min, static_cast<int64_t>(d));
    AppendUleb(&out, ZigZag(min));
    std::vector<uint64_t> rel(128, 0);
    for (size_t i = 0; i < deltas.size(); ++i) rel[i] = deltas[i] - static_cast<uint64_t>(min);
    int widths[4];
    for (int m = 0; m < 4; ++m) {
      uint64_t mx = 0;
      for (int i = 0; i < 32; ++i) mx |= rel[m * 32 + i];
      widths[m] = BitWidthOf(mx);
      out.push_back(static_cast<char>(widths[m]));
    }
    for (int m = 0; m < 4 && m * 32 < static_cast<int>(deltas.size()); ++m) {
      std::vector<uint8_t> bytes(32 * widths[m] / 8, 0);
      for (int i = 0; i < 32; ++i) {
        for (int b = 0; b < widths[m]; ++b) {
          if ((rel[m * 32 + i] >> b) & 1) {
            size_t bit = static_cast<size_t>(i) * widths[m] + b;
            bytes[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
          }
        }
      }
      out.append(bytes.begin(), bytes.end());
    }
  }
  return out;
}

TEST(DeltaBinaryPackedTest, RandomRoundTripsIncludingExtremes) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<int64_t> values(rng() % 1000);
    for (auto& v : values) {
      switch (trial % 3) {
        case 0:
          v = static_cast<int64_t>(rng() % 100);
          break;
        case 1:
          v = static_cast<int64_t>(rng());
          break;  // 64-bit deltas
        default:
          v = (rng() % 2) ? INT64_MIN : INT64_MAX;
          break;
      }
    }
    std::string encoded = EncodeDelta(values);
    DeltaBinaryPackedDecoder d;
    ASSERT_TRUE(d.Init(encoded).ok());
    std::vector<int64_t> out(values.size());
    // Decode in uneven slices to cross miniblock boundaries.
    size_t done = 0;
    while (done < out.size()) {
      size_t n = std::min<size_t>(out.size() - done, 1 + rng() % 70);
      ASSERT_TRUE(d.Decode(out.data() + done, n).ok());
      done += n;
    }
    EXPECT_EQ(out, values);
    EXPECT_EQ(d.bytes_consumed(), encoded.size());
  }
}

TEST(DeltaByteArrayTest, DeltaLengthByteArray) {
  std::string page = Bytes({0x80, 0x01, 0x04, 0x04, 0x0A, 0x00, 0x01, 0, 0, 0, 0x02, 0, 0, 0});
  page += "HelloWorldFoobarABCDEF";
  std::string_view out[4];
  ASSERT_TRUE(DecodeDeltaLengthByteArrays(page, 4, out).ok());
  EXPECT_EQ(out[0], "Hello");
  EXPECT_EQ(out[1], "World");
  EXPECT_EQ(out[2], "Foobar");
  EXPECT_EQ(out[3], "ABCDEF");
  // Declared 3 values, but the lengths say 4.
  EXPECT_FALSE(DecodeDeltaLengthByteArrays(page, 3, out).ok());
  // Bytes cut short.
  EXPECT_FALSE(DecodeDeltaLengthByteArrays(page.substr(0, page.size() - 1), 4, out).ok());
}

TEST(DeltaByteArrayTest, PrefixesAndSuffixes) {
  std::vector<std::string> expect = {"axis", "axle", "babble", "babyhood"};
  std::string page = EncodeDelta({0, 2, 0, 3});  // prefix lengths
  page += EncodeDelta({4, 2, 6, 5});             // suffix lengths
  page += "axislebabbleyhood";
  std::shared_ptr<std::string> storage;
  std::string_view out[4];
  ASSERT_TRUE(DecodeDeltaByteArrays(page, 4, 1 << 20, &storage, out).ok());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], expect[i]);
  EXPECT_EQ(DecodeDeltaByteArrays(page, 4, 10, &storage, out).code(),
            StatusCode::kResourceExhausted);
  std::string bad = EncodeDelta({1, 2, 0, 3}) + EncodeDelta({4, 2, 6, 5}) + "axislebabbleyhood";
  EXPECT_EQ(DecodeDeltaByteArrays(bad, 4, 1 << 20, &storage, out).code(), StatusCode::kCorruption);
}

TEST(ByteStreamSplitTest, FloatsAndSizeCheck) {
  float in[3] = {1.5f, -2.25f, 1e30f};
  uint8_t raw[12];
  std::memcpy(raw, in, 12);
  std::string split(12, '\0');
  for (int i = 0; i < 3; ++i) {
    for (int k = 0; k < 4; ++k) split[k * 3 + i] = static_cast<char>(raw[i * 4 + k]);
  }
  float out[3];
  ASSERT_TRUE(DecodeByteStreamSplit(split, 3, 4, reinterpret_cast<uint8_t*>(out)).ok());
  EXPECT_EQ(out[0], 1.5f);
  EXPECT_EQ(out[1], -2.25f);
  EXPECT_EQ(out[2], 1e30f);
  EXPECT_FALSE(DecodeByteStreamSplit(split, 2, 4, reinterpret_cast<uint8_t*>(out)).ok());
}

TEST(BitUnpackTest, WidthsUpTo64) {
  std::mt19937_64 rng(5);
  for (int width = 0; width <= 64; ++width) {
    std::vector<uint64_t> values(77);
    const uint64_t mask = width == 64 ? ~0ull : ((1ull << width) - 1);
    for (auto& v : values) v = rng() & mask;
    std::vector<uint8_t> packed((values.size() * width + 7) / 8 + 1, 0);
    const uint64_t offset = 3;  // start mid-byte
    for (size_t i = 0; i < values.size(); ++i) {
      for (int b = 0; b < width; ++b) {
        if ((values[i] >> b) & 1) {
          uint64_t bit = offset + i * width + b;
          packed[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
        }
      }
    }
    std::vector<uint64_t> out(values.size());
    UnpackBits64(packed.data(), packed.size(), offset, width, out.data(), out.size());
    EXPECT_EQ(out, values) << "width " << width;
  }
}

}  // namespace
}  // namespace saleslake::parquet
