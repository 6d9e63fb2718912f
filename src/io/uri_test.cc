#include "io/uri.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "io/local_file_system.h"
#include "io/test_temp_dir.h"

namespace saleslake::io {
namespace {

std::string Cwd() {
  char buf[4096];
  return ::getcwd(buf, sizeof(buf)) != nullptr ? buf : "";
}

TEST(UriTest, FileUris) {
  auto p = ParseUri("file:///data/lake");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->scheme, "file");
  EXPECT_EQ(p->authority, "/data/lake");
  EXPECT_EQ(ParseUri("file://localhost/data/lake/")->authority, "/data/lake");
  EXPECT_EQ(ParseUri("file:///a/./b/../c//d")->authority, "/a/c/d");
  EXPECT_EQ(ParseUri("file:///")->authority, "/");
  EXPECT_EQ(ParseUri("file:///data/city=New%20York")->authority, "/data/city=New%20York")
      << "no percent-decoding";
  EXPECT_EQ(ParseUri("file://otherhost/x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseUri("file://relative").status().code(), StatusCode::kInvalidArgument);
}

TEST(UriTest, PlainPaths) {
  EXPECT_EQ(ParseUri("/abs/lake")->authority, "/abs/lake");
  EXPECT_EQ(ParseUri("/abs/lake")->scheme, "file");
  EXPECT_EQ(ParseUri("./lake")->authority, Cwd() + "/lake");
  EXPECT_EQ(ParseUri("lake")->authority, Cwd() + "/lake");
  EXPECT_EQ(ParseUri("my lake/ü")->authority, Cwd() + "/my lake/ü");
  std::string parent = Cwd().substr(0, Cwd().rfind('/'));
  EXPECT_EQ(ParseUri("../x")->authority, (parent.empty() ? "" : parent) + "/x");
  EXPECT_EQ(ParseUri("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseUri("a:b")->authority, Cwd() + "/a:b") << "no '://': a path";
}

TEST(UriTest, MemAndS3) {
  auto m = ParseUri("mem://test/lake/");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->scheme, "mem");
  EXPECT_EQ(m->authority, "test");
  EXPECT_EQ(m->path, "lake");
  EXPECT_EQ(ParseUri("mem://")->authority, "");
  auto s = ParseUri("s3://bucket/raw/year=2026/x y.parquet");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->scheme, "s3");
  EXPECT_EQ(s->authority, "bucket");
  EXPECT_EQ(s->path, "raw/year=2026/x y.parquet");
  EXPECT_EQ(ParseUri("s3://bucket")->path, "");
  EXPECT_EQ(ParseUri("s3:///key").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseUri("s3://b/a/../k").status().code(), StatusCode::kInvalidArgument);
}

TEST(UriTest, UnknownSchemesAreNotSupported) {
  auto r = ParseUri("gs://bucket/x");
  EXPECT_EQ(r.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(r.status().message().find("gs"), std::string::npos);
  EXPECT_EQ(FileSystemFromUri("hdfs://nn/x").status().code(), StatusCode::kNotSupported);
}

TEST(UriTest, FileSystemFromUriOpensTheRoot) {
  TestTempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto fs = FileSystemFromUri("file://" + dir.path() + "/lake");
  ASSERT_TRUE(fs.ok()) << fs.status().ToString();
  EXPECT_EQ((*fs)->scheme(), "file");
  EXPECT_EQ((*fs)->root_uri(), "file://" + dir.path() + "/lake");
  ASSERT_TRUE((*fs)->WriteFile("a/b.bin", "x").ok());
  auto plain = FileSystemFromUri(dir.path() + "/lake/a");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*(*plain)->ReadFile("b.bin"), "x");
  auto round_trip = FileSystemFromUri((*fs)->root_uri());
  ASSERT_TRUE(round_trip.ok());
  EXPECT_EQ(*(*round_trip)->ReadFile("a/b.bin"), "x");
  auto mem = FileSystemFromUri("mem://uri-test");
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ((*mem)->scheme(), "mem");
}

TEST(UriTest, ResolveUriSplitsRootAndPath) {
  TestTempDir dir;
  auto loc = ResolveUri("file://" + dir.path() + "/x/y.bin");
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->fs->root_uri(), "file:///");
  EXPECT_EQ(loc->path, dir.path().substr(1) + "/x/y.bin");
  ASSERT_TRUE(loc->fs->WriteFile(loc->path, "y").ok());
  EXPECT_EQ(*(*FileSystemFromUri(dir.path() + "/x"))->ReadFile("y.bin"), "y");
  auto root = ResolveUri("/");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->path, "");
  auto mem = ResolveUri("mem://resolve-test/a/b");
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ(mem->fs->root_uri(), "mem://resolve-test");
  EXPECT_EQ(mem->path, "a/b");
}

}  // namespace
}  // namespace saleslake::io
