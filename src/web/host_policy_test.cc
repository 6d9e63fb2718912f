#include "web/host_policy.h"

#include <gtest/gtest.h>

#include "web/access_log.h"

namespace saleslake::web {
namespace {

TEST(HostPolicyTest, LoopbackServerAcceptsItsOwnNamesOnItsPort) {
  HostPolicy p("127.0.0.1", 8000, {});
  for (const char* ok : {"localhost:8000", "LOCALHOST:8000", "127.0.0.1:8000", "[::1]:8000"}) {
    EXPECT_TRUE(p.AllowsHost(ok)) << ok;
  }
  for (const char* bad : {"evil.example:8000", "evil.example", "localhost:8001", "localhost",
                          "10.0.0.1:8000", "localhost.evil.example:8000", "", "[::1", "a b:8000",
                          "localhost:80000", "user@localhost:8000"}) {
    EXPECT_FALSE(p.AllowsHost(bad)) << bad;
  }
}

TEST(HostPolicyTest, PortEightyMayBeLeftOut) {
  HostPolicy p("127.0.0.1", 80, {});
  EXPECT_TRUE(p.AllowsHost("localhost"));
  EXPECT_TRUE(p.AllowsHost("localhost:80"));
  EXPECT_TRUE(p.IsOwnOrigin("http://localhost"));
  EXPECT_FALSE(p.IsOwnOrigin("https://localhost"));
}

TEST(HostPolicyTest, AllowedHostsWithAndWithoutPort) {
  HostPolicy p("127.0.0.1", 8000, {"Sales.Example.com", "proxy.example:8443"});
  EXPECT_TRUE(p.AllowsHost("sales.example.com"));
  EXPECT_TRUE(p.AllowsHost("sales.example.com:443"));
  EXPECT_TRUE(p.AllowsHost("proxy.example:8443"));
  EXPECT_FALSE(p.AllowsHost("proxy.example:8000"));
  EXPECT_FALSE(p.AllowsHost("other.example.com"));
  EXPECT_TRUE(p.IsOwnOrigin("https://sales.example.com"));
  EXPECT_TRUE(p.IsOwnOrigin("https://proxy.example:8443"));
}

TEST(HostPolicyTest, WildcardListenAcceptsIpLiteralsButNotNames) {
  HostPolicy p("0.0.0.0", 8000, {});
  EXPECT_TRUE(p.AllowsHost("192.168.1.20:8000"));
  EXPECT_TRUE(p.AllowsHost("[fe80::1]:8000"));
  EXPECT_FALSE(p.AllowsHost("192.168.1.20:9000"));
  EXPECT_FALSE(p.AllowsHost("myhost:8000"));
}

TEST(HostPolicyTest, OriginsAreComparedWithTheServersOwn) {
  HostPolicy p("127.0.0.1", 8000, {});
  EXPECT_TRUE(p.IsOwnOrigin("http://127.0.0.1:8000"));
  EXPECT_TRUE(p.IsOwnOrigin("http://localhost:8000"));
  EXPECT_FALSE(p.IsOwnOrigin("null"));
  EXPECT_FALSE(p.IsOwnOrigin("http://evil.example:8000"));
  EXPECT_FALSE(p.IsOwnOrigin("http://localhost:8000/path"));
  EXPECT_FALSE(p.IsOwnOrigin("ftp://localhost:8000"));
  EXPECT_FALSE(HostPolicy().IsOwnOrigin("http://localhost:8000"));
}

TEST(HostPolicyTest, StarTurnsTheHostCheckOff) {
  HostPolicy p("127.0.0.1", 8000, {"*"});
  EXPECT_TRUE(p.AllowsHost("anything.example:1"));
  EXPECT_FALSE(p.IsOwnOrigin("null"));
}

TEST(HostPolicyTest, ValidatesFlagValues) {
  EXPECT_TRUE(HostPolicy::ValidateAllowedHost("sales.example.com").ok());
  EXPECT_TRUE(HostPolicy::ValidateAllowedHost("sales.example.com:8443").ok());
  EXPECT_TRUE(HostPolicy::ValidateAllowedHost("[::1]:8000").ok());
  EXPECT_TRUE(HostPolicy::ValidateAllowedHost("*").ok());
  for (const char* bad : {"http://x", "a/b", "", "x:port", "x:99999"}) {
    Status st = HostPolicy::ValidateAllowedHost(bad);
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_NE(st.message().find("--allowed-host"), std::string::npos);
  }
}

TEST(AccessLogTest, RedactsSecretsInQueryStrings) {
  EXPECT_EQ(RedactQuery("records=3&api_key=abc&seed=1"), "records=3&api_key=REDACTED&seed=1");
  EXPECT_EQ(RedactQuery("TOKEN=t&Password=p&x=1"), "TOKEN=REDACTED&Password=REDACTED&x=1");
  EXPECT_EQ(RedactQuery("X-Amz-Credential=AKIA%2F2026&X-Amz-Signature=deadbeef&X-Amz-Date=1"),
            "X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Date=1");
  EXPECT_EQ(RedactQuery("x%2Damz%2Dsignature=s"), "x%2Damz%2Dsignature=REDACTED");
  EXPECT_EQ(RedactQuery("tokens=1&my_token=2&token"), "tokens=1&my_token=2&token");
  EXPECT_EQ(RedactQuery(""), "");
}

}  // namespace
}  // namespace saleslake::web
