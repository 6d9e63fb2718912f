#include "base/cli.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "base/storage_flags.h"

namespace saleslake {
namespace {

TEST(CliTest, S3FlagsAreSettingsNotEnvironment) {
  ::unsetenv("SALESLAKE_S3_REGION");
  CLI::App app("test");
  std::string lake;
  std::string format;
  AddLakeFlag(&app, &lake);
  AddFormatFlag(&app, &format);
  const char* argv[] = {"x", "--lake", "s3://b/p", "--s3-region", "eu-west-3", "--format", "json"};
  int code = RunCommand(app, "x", "", 7, const_cast<char**>(argv), [] { return Status::OK(); });
  EXPECT_EQ(code, kExitOk);
  EXPECT_EQ(lake, "s3://b/p");
  EXPECT_EQ(format, "json");
  EXPECT_EQ(GetStorageFlags().s3_region, "eu-west-3");
  EXPECT_EQ(std::getenv("SALESLAKE_S3_REGION"), nullptr);
}

TEST(CliTest, FormatFlagRefusesOtherValuesAndDefaultsToTheFirst) {
  CLI::App app("test");
  std::string format;
  AddFormatFlag(&app, &format, {"table", "csv"});
  const char* ok[] = {"x"};
  EXPECT_EQ(RunCommand(app, "x", "", 1, const_cast<char**>(ok), [] { return Status::OK(); }),
            kExitOk);
  EXPECT_EQ(format, "table");
  CLI::App bad_app("test");
  AddFormatFlag(&bad_app, &format, {"table", "csv"});
  const char* bad[] = {"x", "--format", "xml"};
  EXPECT_EQ(RunCommand(bad_app, "x", "", 3, const_cast<char**>(bad), [] { return Status::OK(); }),
            kExitUsage);
}

}  // namespace
}  // namespace saleslake
