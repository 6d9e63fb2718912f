#include "compress/crc32.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace saleslake::compress
