#include "io/path.h"

#include <gtest/gtest.h>

namespace saleslake::io {
namespace {

TEST(PathTest, NormalizeDropsOuterSlashes) {
  EXPECT_EQ(*NormalizePath(""), "");
  EXPECT_EQ(*NormalizePath("/"), "");
  EXPECT_EQ(*NormalizePath("/a/b/"), "a/b");
  EXPECT_EQ(*NormalizePath("year=2026/month=11"), "year=2026/month=11");
  EXPECT_EQ(*NormalizePath("a b/c+d/é €/日本"), "a b/c+d/é €/日本");
  EXPECT_EQ(*NormalizePath("..a/b..c/.hidden/..."), "..a/b..c/.hidden/...");
}

TEST(PathTest, NormalizeRefusesAmbiguousSegments) {
  for (const char* bad : {"..", ".", "a/..", "../a", "a/./b", "a//b", "//a", "a//", "a/b/."}) {
    auto r = NormalizePath(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("invalid path"), std::string::npos);
  }
  EXPECT_FALSE(NormalizePath(std::string_view("a\0b", 3)).ok());
}

TEST(PathTest, FilePathsNeedAName) {
  EXPECT_FALSE(NormalizeFilePath("").ok());
  EXPECT_FALSE(NormalizeFilePath("/").ok());
  EXPECT_EQ(*NormalizeFilePath("/x"), "x");
}

TEST(PathTest, JoinParentBase) {
  EXPECT_EQ(JoinPath("a/b", "c"), "a/b/c");
  EXPECT_EQ(JoinPath("", "c"), "c");
  EXPECT_EQ(JoinPath("a", ""), "a");
  EXPECT_EQ(ParentPath("a/b/c"), "a/b");
  EXPECT_EQ(ParentPath("c"), "");
  EXPECT_EQ(BaseName("a/b/c"), "c");
  EXPECT_EQ(BaseName("c"), "c");
}

TEST(PathTest, IsInsideMeansADirectoryNotAStringPrefix) {
  EXPECT_TRUE(IsInside("a/b/c", "a/b"));
  EXPECT_TRUE(IsInside("a/b/c", "a"));
  EXPECT_FALSE(IsInside("a/bc/d", "a/b"));
  EXPECT_FALSE(IsInside("a/b", "a/b"));
  EXPECT_TRUE(IsInside("x", ""));
  EXPECT_FALSE(IsInside("", ""));
}

TEST(PathTest, TemporaryNames) {
  std::string t = MakeTemporaryName("part-0.parquet");
  EXPECT_TRUE(IsTemporaryName(t)) << t;
  EXPECT_EQ(t.substr(0, 5), ".tmp-");
  EXPECT_EQ(t.substr(t.size() - 23), "-part-0.parquet.partial");
  EXPECT_NE(MakeTemporaryName("x"), MakeTemporaryName("x"));
  EXPECT_LE(MakeTemporaryName(std::string(255, 'n')).size(), 255u);
  EXPECT_FALSE(IsTemporaryName(".tmp-notrandom-x.partial"));
  EXPECT_FALSE(IsTemporaryName(".tmp-0123456789abcdeX-x.partial"));
  EXPECT_FALSE(IsTemporaryName("part.partial"));
  EXPECT_FALSE(IsTemporaryName(".tmp-0123456789abcdef-x.parquet")) << "the suffix is part of it";
  EXPECT_FALSE(IsTemporaryName(".tmp-0123456789abcdef.partial"));
  EXPECT_TRUE(IsTemporaryName(".tmp-0123456789abcdef-.partial"));
  EXPECT_TRUE(IsTemporaryName(".tmp-0123456789abcdef-x.parquet.partial"));
  EXPECT_FALSE(NormalizeWritablePath("a/" + t).ok());
  EXPECT_TRUE(NormalizeFilePath("a/" + t).ok()) << "orphans can still be read and deleted";
}

}  // namespace
}  // namespace saleslake::io
