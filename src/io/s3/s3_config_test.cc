#include "io/s3/s3_config.h"

#include <gtest/gtest.h>

#include <map>

#include "base/cli.h"
#include "io/s3/aws_ini.h"

namespace saleslake::io::s3 {
namespace {

// An environment and file system made of maps.
class FakeSources {
 public:
  std::map<std::string, std::string> env{{"HOME", "/home/u"}};
  std::map<std::string, std::string> files;

  ConfigSources Sources() {
    ConfigSources s;
    s.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    s.read_file = [this](const std::string& path) -> Result<std::optional<std::string>> {
      auto it = files.find(path);
      if (it == files.end()) return std::optional<std::string>();
      return std::optional<std::string>(it->second);
    };
    return s;
  }
  Result<S3Config> Load() { return LoadS3Config(Sources()); }
};

TEST(AwsIniTest, ParsesSectionsCommentsAndNestedBlocks) {
  Result<IniSections> ini = ParseAwsIni(
      "# comment\n[default]\nregion = eu-west-1\n; other\n[profile dev]\n"
      "AWS_Access_Key_Id=AK\ns3 =\n  addressing_style = path\n  endpoint_url = http://h:1\n"
      "output = json\n",
      "config");
  ASSERT_TRUE(ini.ok()) << ini.status().ToString();
  EXPECT_EQ((*ini)["default"]["region"], "eu-west-1");
  EXPECT_EQ((*ini)["profile dev"]["aws_access_key_id"], "AK");
  EXPECT_EQ((*ini)["profile dev"]["s3.addressing_style"], "path");
  EXPECT_EQ((*ini)["profile dev"]["s3.endpoint_url"], "http://h:1");
  EXPECT_EQ((*ini)["profile dev"]["output"], "json");
}

TEST(AwsIniTest, RefusesGarbageNamingTheLine) {
  Result<IniSections> ini = ParseAwsIni("[default]\nregion eu-west-1\n", "~/.aws/config");
  ASSERT_FALSE(ini.ok());
  EXPECT_NE(ini.status().message().find("~/.aws/config line 2"), std::string::npos);
  EXPECT_FALSE(ParseAwsIni("key = value\n", "x").ok());
  EXPECT_FALSE(ParseAwsIni("[default\n", "x").ok());
}

TEST(S3ConfigTest, EnvironmentCredentialsAndDefaults) {
  FakeSources f;
  f.env["AWS_ACCESS_KEY_ID"] = "AKID";
  f.env["AWS_SECRET_ACCESS_KEY"] = "SECRET";
  f.env["AWS_SESSION_TOKEN"] = "TOKEN";
  Result<S3Config> c = f.Load();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->credentials.access_key_id, "AKID");
  EXPECT_EQ(c->credentials.secret_access_key, "SECRET");
  EXPECT_EQ(c->credentials.session_token, "TOKEN");
  EXPECT_EQ(c->region, "us-east-1");
  EXPECT_EQ(c->endpoint_url, "");
  EXPECT_EQ(c->addressing, AddressingStyle::kVirtualHosted);
  EXPECT_TRUE(c->verify_tls);
}

TEST(S3ConfigTest, ProfilesFromCredentialsAndConfigFiles) {
  FakeSources f;
  f.env["AWS_PROFILE"] = "dev";
  f.files["/home/u/.aws/credentials"] =
      "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = D\n"
      "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = DEVSECRET\n";
  f.files["/home/u/.aws/config"] =
      "[default]\nregion = us-west-2\n[profile dev]\nregion = ap-south-1\n"
      "s3 =\n  addressing_style = virtual\n  endpoint_url = https://minio.example:9000/\n";
  Result<S3Config> c = f.Load();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->credentials.access_key_id, "DEVKEY");
  EXPECT_EQ(c->credentials.source, "profile 'dev' in ~/.aws/credentials");
  EXPECT_EQ(c->region, "ap-south-1");
  EXPECT_EQ(c->endpoint_url, "https://minio.example:9000");
  EXPECT_EQ(c->addressing, AddressingStyle::kVirtualHosted);

  // Keys only in the config file count too.
  f.files.erase("/home/u/.aws/credentials");
  f.files["/home/u/.aws/config"] =
      "[profile dev]\naws_access_key_id = CFGKEY\naws_secret_access_key = S\n";
  c = f.Load();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->credentials.access_key_id, "CFGKEY");
}

TEST(S3ConfigTest, PrecedenceOfRegionAndEndpoint) {
  FakeSources f;
  f.env["AWS_ACCESS_KEY_ID"] = "A";
  f.env["AWS_SECRET_ACCESS_KEY"] = "B";
  f.files["/home/u/.aws/config"] = "[default]\nregion = from-file\nendpoint_url = http://file:1\n";
  EXPECT_EQ(f.Load()->region, "from-file");
  EXPECT_EQ(f.Load()->endpoint_url, "http://file:1");
  EXPECT_EQ(f.Load()->addressing, AddressingStyle::kPath) << "custom endpoints are path-style";
  f.env["AWS_DEFAULT_REGION"] = "default-region";
  EXPECT_EQ(f.Load()->region, "default-region");
  f.env["AWS_REGION"] = "aws-region";
  EXPECT_EQ(f.Load()->region, "aws-region");
  f.env["SALESLAKE_S3_REGION"] = "flag-region";
  EXPECT_EQ(f.Load()->region, "flag-region");
  f.env["AWS_ENDPOINT_URL"] = "http://generic:2";
  EXPECT_EQ(f.Load()->endpoint_url, "http://generic:2");
  f.env["AWS_ENDPOINT_URL_S3"] = "http://s3-specific:3";
  EXPECT_EQ(f.Load()->endpoint_url, "http://s3-specific:3");
  f.env["SALESLAKE_S3_ENDPOINT"] = "http://flag:4/";
  EXPECT_EQ(f.Load()->endpoint_url, "http://flag:4");
  f.env.erase("SALESLAKE_S3_ENDPOINT");
  f.env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  EXPECT_EQ(f.Load()->endpoint_url, "");
  EXPECT_EQ(f.Load()->addressing, AddressingStyle::kVirtualHosted);
  f.env["SALESLAKE_S3_ADDRESSING"] = "path";
  EXPECT_EQ(f.Load()->addressing, AddressingStyle::kPath);
}

TEST(S3ConfigTest, TlsRetriesAndTimeouts) {
  FakeSources f;
  f.env["AWS_ACCESS_KEY_ID"] = "A";
  f.env["AWS_SECRET_ACCESS_KEY"] = "B";
  f.env["SALESLAKE_S3_NO_VERIFY_TLS"] = "1";
  f.env["AWS_CA_BUNDLE"] = "/etc/ca.pem";
  f.env["SALESLAKE_S3_MAX_ATTEMPTS"] = "7";
  f.env["SALESLAKE_S3_REQUEST_TIMEOUT"] = "90s";
  f.env["SALESLAKE_S3_CONNECT_TIMEOUT"] = "500ms";
  Result<S3Config> c = f.Load();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->verify_tls);
  EXPECT_EQ(c->ca_bundle, "/etc/ca.pem");
  EXPECT_EQ(c->retry.max_attempts, 7);
  EXPECT_EQ(c->request_timeout_ms, 90000);
  EXPECT_EQ(c->connect_timeout_ms, 500);
}

TEST(S3ConfigTest, MistakesAreClearErrors) {
  FakeSources f;
  Result<S3Config> none = f.Load();
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("AWS_ACCESS_KEY_ID"), std::string::npos);

  f.env["AWS_ACCESS_KEY_ID"] = "A";
  EXPECT_NE(f.Load().status().message().find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos);
  f.env["AWS_SECRET_ACCESS_KEY"] = "B";

  f.env["SALESLAKE_S3_ENDPOINT"] = "127.0.0.1:9000";
  EXPECT_NE(f.Load().status().message().find("--s3-endpoint"), std::string::npos);
  f.env["SALESLAKE_S3_ENDPOINT"] = "http://";
  EXPECT_FALSE(f.Load().ok());
  f.env.erase("SALESLAKE_S3_ENDPOINT");
  f.env["SALESLAKE_S3_NO_VERIFY_TLS"] = "maybe";
  EXPECT_FALSE(f.Load().ok());
  f.env.erase("SALESLAKE_S3_NO_VERIFY_TLS");
  f.env["SALESLAKE_S3_ADDRESSING"] = "sideways";
  EXPECT_FALSE(f.Load().ok());
  f.env.erase("SALESLAKE_S3_ADDRESSING");
  f.env["SALESLAKE_S3_REQUEST_TIMEOUT"] = "soon";
  EXPECT_FALSE(f.Load().ok());
  f.env.erase("SALESLAKE_S3_REQUEST_TIMEOUT");

  f.env.erase("AWS_ACCESS_KEY_ID");
  f.env.erase("AWS_SECRET_ACCESS_KEY");
  f.env["AWS_PROFILE"] = "ghost";
  Result<S3Config> ghost = f.Load();
  EXPECT_NE(ghost.status().message().find("profile 'ghost' not found"), std::string::npos)
      << ghost.status().ToString();
  f.files["/home/u/.aws/config"] = "[profile ghost]\nsso_start_url = https://x\n";
  Result<S3Config> sso = f.Load();
  EXPECT_EQ(sso.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(sso.status().message().find("export-credentials"), std::string::npos);
}

TEST(S3ConfigTest, SecretsStayOutOfErrors) {
  FakeSources f;
  f.env["AWS_SECRET_ACCESS_KEY"] = "very-secret-value";
  Result<S3Config> c = f.Load();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().find("very-secret-value"), std::string::npos);
}

}  // namespace
}  // namespace saleslake::io::s3

namespace saleslake::io::s3 {
namespace {

// --s3-endpoint / --s3-region / --s3-no-verify-tls, as every lake-taking command gets them from
// AddLakeFlag, reach the S3 configuration.
TEST(S3FlagsTest, LakeFlagsReachTheConfig) {
  CLI::App app;
  std::string lake;
  AddLakeFlag(&app, &lake);
  const char* argv[] = {
      "cmd",         "--lake",     "s3://lake/prod",    "--s3-endpoint", "http://127.0.0.1:9",
      "--s3-region", "ap-south-1", "--s3-no-verify-tls"};
  app.parse(static_cast<int>(std::size(argv)), const_cast<char**>(argv));
  setenv("AWS_ACCESS_KEY_ID", "A", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "B", 1);
  Result<S3Config> c = LoadS3ConfigFromEnvironment();
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SALESLAKE_S3_ENDPOINT",
                           "SALESLAKE_S3_REGION", "SALESLAKE_S3_NO_VERIFY_TLS"}) {
    unsetenv(name);
  }
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(lake, "s3://lake/prod");
  EXPECT_EQ(c->endpoint_url, "http://127.0.0.1:9");
  EXPECT_EQ(c->region, "ap-south-1");
  EXPECT_FALSE(c->verify_tls);
}

}  // namespace
}  // namespace saleslake::io::s3
