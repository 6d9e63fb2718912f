#include "base/strings.h"

#include <gtest/gtest.h>

namespace saleslake {
namespace {

TEST(StringsTest, CaseIsAsciiOnly) {
  EXPECT_EQ(Lower("SELECT Brand_1"), "select brand_1");
  EXPECT_EQ(Upper("decimal(18,2)"), "DECIMAL(18,2)");
  EXPECT_EQ(Lower("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");  // bytes above 0x7f kept
  EXPECT_TRUE(EqualsIgnoreCase("Content-Encoding", "content-encoding"));
  EXPECT_FALSE(EqualsIgnoreCase("gzip", "gzip2"));
}

TEST(StringsTest, TrimRemovesWhitespaceAtTheEnds) {
  EXPECT_EQ(Trim("  a b \r\n"), "a b");
  EXPECT_EQ(Trim("\t"), "");
  EXPECT_EQ(TrimRight("  x  "), "  x");
  EXPECT_EQ(Join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(Join({}, ","), "");
}

}  // namespace
}  // namespace saleslake
