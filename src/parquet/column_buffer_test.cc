#include "parquet/column_buffer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace saleslake::parquet {
namespace {

// Every length the short-copy paths cut at (0-3, 4-7, 8-16, 17-32, longer), in a buffer that
// grows several times and is cleared and refilled.
TEST(ColumnBufferTest, ByteArraysOfEveryLengthReadBackAfterGrowthAndClear) {
  ColumnBuffer column(Type::kByteArray);
  for (int round = 0; round < 3; ++round) {
    column.Clear();
    if (round == 1) column.Reserve(100, 10000);  // capacity the room grows into
    std::vector<std::string> expected;
    for (size_t length = 0; length <= 80; ++length) {
      for (int copy = 0; copy < 70; ++copy) {
        std::string value(length, '\0');
        for (size_t i = 0; i < length; ++i) value[i] = static_cast<char>('a' + (i + copy) % 26);
        if (copy % 17 == 3) {
          column.AppendNull();
          expected.push_back("");
          continue;
        }
        column.AppendBytes(value);
        expected.push_back(value);
      }
    }
    ASSERT_EQ(column.size(), expected.size());
    for (size_t row = 0; row < expected.size(); ++row) {
      ASSERT_EQ(column.bytes(row), expected[row]) << row;
    }
  }
}

TEST(ColumnBufferTest, DictionaryFormAfterClearOfPlainForm) {
  ColumnBuffer column(Type::kByteArray);
  column.AppendBytes("a long enough value to need more than two words");
  column.Clear();
  column.AppendNull();
  const uint32_t jbl = column.AddDictionaryValue("JBL");
  column.AppendIndex(jbl);
  ASSERT_TRUE(column.is_dictionary());
  EXPECT_EQ(column.dictionary_size(), 1u);
  EXPECT_EQ(column.dictionary_value(jbl), "JBL");
  EXPECT_EQ(column.indices()[1], jbl);
  EXPECT_FALSE(column.IsValid(0));
}

}  // namespace
}  // namespace saleslake::parquet
