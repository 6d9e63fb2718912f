#include "web/listen_address.h"

#include <gtest/gtest.h>

namespace saleslake::web {
namespace {

TEST(ListenAddressTest, ParsesHostAndPort) {
  auto a = ParseListenAddress("127.0.0.1:8080");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  EXPECT_EQ(a->ToString(), "127.0.0.1:8080");

  auto v6 = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_EQ(v6->ToString(), "[::1]:0");

  auto name = ParseListenAddress("localhost:65535");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->port, 65535);
}

TEST(ListenAddressTest, RejectsMalformedAddressesWithAHint) {
  for (const char* bad : {"", "8080", "127.0.0.1", ":8080", "127.0.0.1:", "127.0.0.1:65536",
                          "127.0.0.1:-1", "127.0.0.1:80x", "::1:8080", "[::1]8080", "[::1:8080"}) {
    auto a = ParseListenAddress(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(a.status().message().find("HOST:PORT"), std::string::npos) << bad;
  }
}

TEST(ListenAddressTest, KnowsLoopback) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("192.168.1.10"));
}

}  // namespace
}  // namespace saleslake::web
