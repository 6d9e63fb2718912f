#include "base/suggest.h"

#include <gtest/gtest.h>

namespace saleslake {
namespace {

TEST(SuggestTest, EditDistance) {
  EXPECT_EQ(EditDistance("lake", "lake"), 0u);
  EXPECT_EQ(EditDistance("lak", "lake"), 1u);
  EXPECT_EQ(EditDistance("lkae", "lake"), 1u);  // a swap is one typo
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

TEST(SuggestTest, NearestWord) {
  const std::vector<std::string> flags = {"lake", "format", "log-format", "log-level", "records"};
  EXPECT_EQ(NearestWord("lak", flags), "lake");
  EXPECT_EQ(NearestWord("recrods", flags), "records");
  EXPECT_EQ(NearestWord("log-levl", flags), "log-level");
  EXPECT_EQ(NearestWord("xyzzy", flags), "");
  EXPECT_EQ(NearestWord("rec", flags), "records");  // a prefix of exactly one
  EXPECT_EQ(NearestWord("log", flags), "");         // a prefix of two: no guess
  const std::vector<std::string> commands = {"status", "transform", "query", "serve"};
  EXPECT_EQ(NearestWord("stauts", commands), "status");
  EXPECT_EQ(NearestWord("trasnform", commands), "transform");
}

}  // namespace
}  // namespace saleslake
