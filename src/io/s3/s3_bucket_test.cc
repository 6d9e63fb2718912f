// `saleslake fs mb` / `fs rb` against moto (a real S3 server on loopback), as a person runs them:
// the command's own argv, the endpoint and credentials from the environment.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "io/file_system.h"
#include "io/fs_command.h"
#include "io/s3/s3_test_server.h"

namespace saleslake::io::s3 {
namespace {

int Fs(std::vector<std::string> args) {
  args.insert(args.begin(), "fs");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return FsCommand(static_cast<int>(argv.size()), argv.data());
}

TEST(S3BucketCommandTest, MakesListsAndRemovesAnEmptyBucket) {
  Result<testing::S3TestServer*> server = testing::SharedS3TestServer(testing::S3ServerKind::kMoto);
  if (!server.ok()) GTEST_SKIP() << server.status().message();
  const AwsCredentials& c = (*server)->credentials();
  ::setenv("AWS_ACCESS_KEY_ID", c.access_key_id.c_str(), 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", c.secret_access_key.c_str(), 1);
  ::setenv("AWS_REGION", "us-east-1", 1);
  ::setenv("SALESLAKE_S3_ADDRESSING", "path", 1);
  const std::string endpoint = (*server)->endpoint();
  const std::string bucket = "s3://" + testing::UniqueBucketName();

  ASSERT_EQ(Fs({"mb", bucket, "--s3-endpoint", endpoint}), 0);
  EXPECT_EQ(Fs({"mb", bucket, "--s3-endpoint", endpoint}), 0) << "an existing bucket of ours";
  auto fs = FileSystemFromUri(bucket);
  ASSERT_TRUE(fs.ok()) << fs.status().ToString();
  ASSERT_TRUE((*fs)->WriteFile("lake/x.txt", "x").ok()) << "the new bucket takes objects";

  EXPECT_NE(Fs({"rb", bucket, "--s3-endpoint", endpoint}), 0) << "not empty";
  ASSERT_TRUE((*fs)->Delete("lake/x.txt").ok());
  EXPECT_EQ(Fs({"rb", bucket, "--s3-endpoint", endpoint}), 0);
  EXPECT_FALSE((*fs)->WriteFile("lake/y.txt", "y").ok()) << "the bucket is gone";

  EXPECT_EQ(Fs({"mb", bucket + "/key", "--s3-endpoint", endpoint}), 2) << "a key is not a bucket";
  EXPECT_EQ(Fs({"mb", "./local", "--s3-endpoint", endpoint}), 2) << "buckets are on S3";
}

}  // namespace
}  // namespace saleslake::io::s3
