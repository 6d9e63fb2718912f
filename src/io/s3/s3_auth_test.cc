// Signature enforcement against moto in its authenticating mode (INITIAL_NO_AUTH_ACTION_COUNT;
// keys from its IAM API), and secrets kept out of errors and logs.
//
// Keys and list prefixes here are plain: in this mode moto also refuses correctly signed requests
// whose key holds '=' or a space, or whose query holds an escaped byte such as the %2F of a
// prefix "a/b/" (botocore's requests too). Those are proven by the botocore reference vectors in
// sigv4_test.cc, and on moto's default mode and s3rver instead.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/logging.h"
#include "io/s3/s3_client.h"
#include "io/s3/s3_file_system.h"
#include "io/s3/s3_test_server.h"

namespace saleslake::io::s3 {
namespace {

using testing::S3ServerKind;
using testing::S3TestServer;

class S3AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<S3TestServer*> server = testing::SharedS3TestServer(S3ServerKind::kMotoWithAuth);
    if (!server.ok()) {
      if (server.status().code() == StatusCode::kNotSupported) {
        GTEST_SKIP() << server.status().message();
      }
      FAIL() << server.status().ToString();
    }
    server_ = *server;
    bucket_ = testing::UniqueBucketName();
    Status st = server_->CreateBucket(bucket_);
    ASSERT_TRUE(st.ok()) << st.ToString() << "\n" << server_->LogTail();
  }

  S3FileSystem FileSystemWith(const S3Config& config) {
    return S3FileSystem(std::make_shared<S3Client>(config), bucket_, "signed");
  }

  S3TestServer* server_ = nullptr;
  std::string bucket_;
};

TEST_F(S3AuthTest, EveryOperationIsSignedCorrectly) {
  S3Config config = server_->Config();
  config.part_size = 5 << 20;
  auto client = std::make_shared<S3Client>(config);
  S3FileSystem fs(client, bucket_, "");
  // PUT, HEAD, ranged GET, multipart (?uploads=, ?partNumber=&uploadId=, complete, abort), list
  // with continuation tokens, copy, batched delete: moto recomputes and checks every signature.
  ASSERT_TRUE(fs.WriteFile("plain/a.txt", "alpha").ok());
  std::string big((6 << 20) + 3, 'b');
  Status st = fs.WriteFile("plain/big.bin", big);
  ASSERT_TRUE(st.ok()) << st.ToString();
  Result<std::unique_ptr<RandomAccessFile>> file = fs.OpenForRead("plain/big.bin");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  std::string out;
  ASSERT_TRUE((*file)->ReadAt(5 << 20, 10, &out).ok());
  EXPECT_EQ(out, std::string(10, 'b'));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(fs.WriteFile("many-" + std::to_string(i), "x").ok());
  }
  std::string token;
  int pages = 0;
  do {
    Result<ListPage> page = client->ListObjectsPage(bucket_, "many", "", token, 2);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    token = page->next_continuation_token;
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  ASSERT_TRUE(fs.Move("plain/a.txt", "plain/moved.txt").ok());
  EXPECT_EQ(*fs.ReadFile("plain/moved.txt"), "alpha");
  ASSERT_TRUE(fs.DeleteMany({"plain/moved.txt", "plain/big.bin"}).ok());
  Result<ListPage> left = client->ListObjects(bucket_, "", "");
  ASSERT_TRUE(left.ok()) << left.status().ToString();
  EXPECT_EQ(left->objects.size(), 5u);
  Result<std::unique_ptr<WritableFile>> aborted = fs.OpenForWrite("plain/aborted.bin");
  ASSERT_TRUE((*aborted)->Append(big).ok());
  ASSERT_TRUE((*aborted)->Abort().ok());
  Result<std::vector<MultipartUploadInfo>> uploads = client->ListMultipartUploads(bucket_, "");
  ASSERT_TRUE(uploads.ok()) << uploads.status().ToString();
  EXPECT_TRUE(uploads->empty());
}

TEST_F(S3AuthTest, WrongSecretIsSignatureDoesNotMatch) {
  S3Config config = server_->Config();
  config.credentials.secret_access_key = "wrong-secret-0123456789abcdef";
  config.credentials.source = "profile 'dev' in ~/.aws/credentials";
  S3FileSystem fs = FileSystemWith(config);
  Status st = fs.WriteFile("plain/x.txt", "x");
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied) << st.ToString();
  EXPECT_NE(st.message().find("SignatureDoesNotMatch"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("s3://" + bucket_ + "/signed/plain/x.txt"), std::string::npos);
  EXPECT_NE(st.message().find("profile 'dev'"), std::string::npos) << "says which credentials";
  EXPECT_NE(st.message().find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << "says what to do";
  EXPECT_EQ(st.message().find("(after"), std::string::npos) << "not retried: " << st.message();
  EXPECT_EQ(st.message().find(config.credentials.secret_access_key), std::string::npos);
  EXPECT_EQ(st.message().find(server_->credentials().secret_access_key), std::string::npos);
}

TEST_F(S3AuthTest, UnknownAccessKeyIsInvalidAccessKeyId) {
  S3Config config = server_->Config();
  config.credentials.access_key_id = "AKIAUNKNOWNKEY000000";
  S3FileSystem fs = FileSystemWith(config);
  Result<std::vector<FileInfo>> list =
      S3FileSystem(std::make_shared<S3Client>(config), bucket_, "").List("");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), StatusCode::kPermissionDenied) << list.status().ToString();
  EXPECT_NE(list.status().message().find("InvalidAccessKeyId"), std::string::npos);
  EXPECT_NE(list.status().message().find("--s3-endpoint"), std::string::npos);
}

// Every line logged at debug level, and every error, while good and bad credentials are used:
// none holds the secret key or the session token.
TEST_F(S3AuthTest, SecretsNeverAppearInLogsOrErrors) {
  char path[] = "/tmp/sl-s3-log-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  log::Configure(log::Format::kJson, log::Level::kDebug);
  int previous = log::SetOutputFd(fd);
  S3Config good = server_->Config();
  S3Config bad = good;
  bad.credentials.secret_access_key = "another-secret-that-must-not-leak";
  S3Config token = good;
  token.credentials.session_token = "SESSION-TOKEN-THAT-MUST-NOT-LEAK";
  std::vector<std::string> errors;
  for (const S3Config& config : {good, bad, token}) {
    S3FileSystem fs(std::make_shared<S3Client>(config), bucket_, "");
    for (Status st : {fs.WriteFile("plain/log.txt", "x"), fs.ReadFile("plain/log.txt").status(),
                      fs.ReadFile("plain/missing.txt").status(), fs.List("").status()}) {
      if (!st.ok()) errors.push_back(st.ToString());
    }
  }
  log::SetOutputFd(previous);
  log::Configure(log::Format::kText, log::Level::kInfo);
  ::close(fd);
  std::ifstream in(path);
  std::stringstream logged;
  logged << in.rdbuf();
  std::remove(path);
  EXPECT_NE(logged.str().find("s3.request"), std::string::npos) << "debug lines were written";
  EXPECT_GE(errors.size(), 5u);
  for (const std::string& secret :
       {good.credentials.secret_access_key, bad.credentials.secret_access_key,
        token.credentials.session_token}) {
    EXPECT_EQ(logged.str().find(secret), std::string::npos) << "a log line holds a secret";
    for (const std::string& e : errors) EXPECT_EQ(e.find(secret), std::string::npos) << e;
  }
}

}  // namespace
}  // namespace saleslake::io::s3
