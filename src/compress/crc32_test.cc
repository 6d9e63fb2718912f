#include "compress/crc32.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

namespace saleslake::compress {
namespace {

TEST(Crc32Test, KnownVectors) {
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);  // the standard check value
  EXPECT_EQ(Crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
}

TEST(Crc32Test, ExtendEqualsWhole) {
  EXPECT_EQ(Crc32Extend(Crc32("12345"), "6789"), Crc32("123456789"));
}

// The page CRC must stay zlib's: files written before the switch to libdeflate carry it.
TEST(Crc32Test, SameAsZlibAtEveryLengthAndAlignment) {
  std::mt19937 random(7);
  std::string bytes(70000, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  for (size_t start : {0, 1, 3, 8}) {
    for (size_t length : {0, 1, 15, 16, 63, 64, 255, 4096, 65537, 69000}) {
      const std::string_view piece = std::string_view(bytes).substr(start, length);
      const uLong expected =
          crc32(0, reinterpret_cast<const Bytef*>(piece.data()), static_cast<uInt>(piece.size()));
      EXPECT_EQ(Crc32(piece), static_cast<uint32_t>(expected)) << start << "+" << length;
    }
  }
}

}  // namespace
}  // namespace saleslake::compress
