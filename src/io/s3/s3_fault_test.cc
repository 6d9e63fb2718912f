// Failures between us and S3, injected by a proxy of ours in front of moto (or by killing the
// server): throttling and 5xx are retried and then succeed, or give up with a clear error; slow
// answers hit the timeout; a server that dies mid-upload leaves no object and no upload behind.
#include <gtest/gtest.h>

#include "io/s3/fault_proxy.h"
#include "io/s3/s3_client.h"
#include "io/s3/s3_file_system.h"
#include "io/s3/s3_test_server.h"

namespace saleslake::io::s3 {
namespace {

using testing::FaultProxy;
using testing::FaultRule;
using testing::S3ServerKind;
using testing::S3TestServer;

std::string Bytes(size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>(i * 131 + i / 7);
  return out;
}

// Rule builders (designated initializers would leave members unnamed, which -Werror refuses).
FaultRule Respond(std::string method, int times, int status, std::string code,
                  std::string message = "injected by the test proxy") {
  FaultRule r;
  r.method = std::move(method);
  r.times = times;
  r.status = status;
  r.code = std::move(code);
  r.message = std::move(message);
  return r;
}

FaultRule Act(std::string method, std::string target_contains, int times, FaultRule::Action action,
              int delay_ms = 0) {
  FaultRule r;
  r.method = std::move(method);
  r.target_contains = std::move(target_contains);
  r.times = times;
  r.action = action;
  r.delay_ms = delay_ms;
  return r;
}

class S3FaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<S3TestServer*> server = testing::SharedS3TestServer(S3ServerKind::kMoto);
    if (!server.ok()) {
      if (server.status().code() == StatusCode::kNotSupported) {
        GTEST_SKIP() << server.status().message();
      }
      FAIL() << server.status().ToString();
    }
    server_ = *server;
    bucket_ = testing::UniqueBucketName();
    ASSERT_TRUE(server_->CreateBucket(bucket_).ok());
    Result<std::unique_ptr<FaultProxy>> proxy = FaultProxy::Start(server_->port());
    ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
    proxy_ = std::move(proxy).value();
    direct_ = std::make_shared<S3Client>(server_->Config());
    config_ = server_->Config();
    config_.endpoint_url = proxy_->endpoint();
    Reopen();
  }

  void Reopen() {
    client_ = std::make_shared<S3Client>(config_);
    fs_ = std::make_shared<S3FileSystem>(client_, bucket_, "");
  }

  bool ExistsDirect(const std::string& key) { return direct_->HeadObject(bucket_, key).ok(); }

  S3TestServer* server_ = nullptr;
  std::string bucket_;
  std::unique_ptr<FaultProxy> proxy_;
  std::shared_ptr<S3Client> direct_;  // straight to moto, for checking what really happened
  S3Config config_;
  std::shared_ptr<S3Client> client_;
  std::shared_ptr<S3FileSystem> fs_;
};

TEST_F(S3FaultTest, SlowDownIsRetriedThenSucceeds) {
  proxy_->AddRule(Respond("PUT", 2, 503, "SlowDown"));
  Status st = fs_->WriteFile("year=2026/a.parquet", "after two throttles");
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(proxy_->faults_injected(), 2);
  EXPECT_EQ(proxy_->RequestsMatching("PUT "), 3);
  EXPECT_EQ(*fs_->ReadFile("year=2026/a.parquet"), "after two throttles");
}

TEST_F(S3FaultTest, TooManyRequestsAndInternalErrorsAreRetried) {
  proxy_->AddRule(Respond("GET", 1, 429, "TooManyRequests"));
  proxy_->AddRule(Respond("GET", 1, 500, "InternalError"));
  ASSERT_TRUE(direct_->PutObject(bucket_, "k", "value").ok());
  config_.retry.max_attempts = 3;
  Reopen();
  Result<std::string> data = fs_->ReadFile("k");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(*data, "value");
  EXPECT_EQ(proxy_->faults_injected(), 2);
}

TEST_F(S3FaultTest, GivesUpAfterMaxAttemptsWithAClearError) {
  proxy_->AddRule(Respond("PUT", -1, 500, "InternalError"));
  Status st = fs_->WriteFile("doomed.parquet", "x");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
  EXPECT_NE(st.message().find("PutObject"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("s3://" + bucket_ + "/doomed.parquet"), std::string::npos);
  EXPECT_NE(st.message().find("InternalError"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("after 3 attempts"), std::string::npos) << st.message();
  EXPECT_EQ(proxy_->RequestsMatching("PUT "), 3);
  EXPECT_FALSE(ExistsDirect("doomed.parquet"));
}

TEST_F(S3FaultTest, ClientErrorsAreNotRetried) {
  proxy_->AddRule(Respond("PUT", -1, 403, "AccessDenied"));
  Status st = fs_->WriteFile("denied.parquet", "x");
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied) << st.ToString();
  EXPECT_NE(st.message().find("AccessDenied"), std::string::npos);
  EXPECT_EQ(proxy_->RequestsMatching("PUT "), 1);
}

TEST_F(S3FaultTest, SlowResponsesHitTheTimeout) {
  ASSERT_TRUE(direct_->PutObject(bucket_, "slow.bin", "late").ok());
  proxy_->AddRule(Act("GET", "", -1, FaultRule::Action::kDelay, 3000));
  config_.request_timeout_ms = 300;
  config_.retry.max_attempts = 2;
  Reopen();
  Result<std::string> data = fs_->ReadFile("slow.bin");
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), StatusCode::kTimeout) << data.status().ToString();
  EXPECT_NE(data.status().message().find("timed out"), std::string::npos);
  EXPECT_NE(data.status().message().find("GetObject"), std::string::npos);
  EXPECT_NE(data.status().message().find("after 2 attempts"), std::string::npos);
}

TEST_F(S3FaultTest, ServerDyingMidPartLeavesNoObjectAndNoUpload) {
  config_.part_size = 5 << 20;
  config_.retry.max_attempts = 2;
  Reopen();
  // Every attempt at part 2 dies with half the body sent; everything else goes through.
  proxy_->AddRule(Act("PUT", "partNumber=2", -1, FaultRule::Action::kCutMidBody));
  const std::string data = Bytes(12 << 20);
  Result<std::unique_ptr<WritableFile>> file = fs_->OpenForWrite("big/part-0.parquet");
  ASSERT_TRUE(file.ok());
  Status st;
  for (size_t at = 0; at < data.size() && st.ok(); at += 1 << 20) {
    st = (*file)->Append(std::string_view(data).substr(at, 1 << 20));
  }
  if (st.ok()) st = (*file)->Close();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kIOError) << st.ToString();
  EXPECT_NE(st.message().find("UploadPart"), std::string::npos) << st.message();
  EXPECT_GE(proxy_->RequestsMatching("partNumber=2"), 2);
  EXPECT_FALSE(ExistsDirect("big/part-0.parquet"));
  EXPECT_EQ(fs_->GetFileInfo("big/part-0.parquet")->type, FileType::kNotFound);
  Result<std::vector<MultipartUploadInfo>> uploads = direct_->ListMultipartUploads(bucket_, "");
  ASSERT_TRUE(uploads.ok()) << uploads.status().ToString();
  EXPECT_TRUE(uploads->empty()) << "the failed upload was not aborted";
  EXPECT_EQ(proxy_->RequestsMatching("DELETE "), 1);
}

TEST_F(S3FaultTest, LostAnswersAreRetriedSafely) {
  config_.part_size = 5 << 20;
  Reopen();
  // The server completes the upload and stores the small object, but the answers never arrive.
  proxy_->AddRule(Act("POST", "uploadId=", 1, FaultRule::Action::kDropResponse));
  proxy_->AddRule(Act("PUT", "small", 1, FaultRule::Action::kDropResponse));
  const std::string data = Bytes((5 << 20) + 100);
  Status st = fs_->WriteFile("completed-twice.bin", data);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(*fs_->ReadFile("completed-twice.bin") == data);
  ASSERT_TRUE(fs_->WriteFile("small.txt", "once").ok());
  EXPECT_EQ(*fs_->ReadFile("small.txt"), "once");
  EXPECT_EQ(proxy_->faults_injected(), 2);
}

TEST_F(S3FaultTest, ConnectionRefused) {
  config_.endpoint_url = "http://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort());
  Reopen();
  Status st = fs_->WriteFile("a.parquet", "x");
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
  EXPECT_NE(st.message().find("cannot connect"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(config_.endpoint_url), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("after 3 attempts"), std::string::npos) << st.message();
}

TEST_F(S3FaultTest, EchoedSecretsAreRedacted) {
  proxy_->AddRule(Respond("PUT", -1, 400, "InvalidRequest",
                          "bad request signed with " + config_.credentials.secret_access_key));
  Status st = fs_->WriteFile("echo.txt", "x");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().find(config_.credentials.secret_access_key), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("[redacted]"), std::string::npos) << st.message();
}

// Not faults, but what the proxy's request log shows: how many requests reads cost.
TEST_F(S3FaultTest, SmallFilesAreReadInOneRequest) {
  ASSERT_TRUE(direct_->PutObject(bucket_, "small.json", std::string(5000, 'j')).ok());
  ASSERT_TRUE(direct_->PutObject(bucket_, "empty.json", "").ok());
  EXPECT_EQ(*fs_->ReadFile("small.json"), std::string(5000, 'j'));
  EXPECT_EQ(proxy_->RequestsMatching("GET "), 1);
  EXPECT_EQ(proxy_->RequestsMatching("HEAD "), 0);
  EXPECT_EQ(*fs_->ReadFile("empty.json"), "");  // a range on nothing: falls back to HEAD
  EXPECT_EQ(proxy_->RequestsMatching("HEAD "), 1);
}

TEST_F(S3FaultTest, SequentialReadsAreReadAhead) {
  const std::string data = Bytes(40 << 20);
  ASSERT_TRUE(direct_->PutObject(bucket_, "scan.bin", data).ok());
  Result<std::unique_ptr<RandomAccessFile>> file = fs_->OpenForRead("scan.bin");
  ASSERT_TRUE(file.ok());
  std::string chunk;
  for (uint64_t at = 0; at < data.size(); at += 1 << 20) {  // 40 reads of 1 MiB
    ASSERT_TRUE((*file)->ReadAt(at, 1 << 20, &chunk).ok());
    ASSERT_TRUE(chunk == std::string_view(data).substr(at, 1 << 20)) << at;
  }
  // Open, one plain read, then windows of 8, 16 and 32 MiB (no more: 40 MiB in all).
  EXPECT_EQ(proxy_->RequestsMatching("GET "), 5);
  // Random reads fetch just what they ask for.
  ASSERT_TRUE((*file)->ReadAt(3, 10, &chunk).ok());
  EXPECT_EQ(chunk, data.substr(3, 10));
  EXPECT_EQ(proxy_->RequestsMatching("GET "), 6);
}

// A real crash: moto killed in the middle of a multipart upload. The writer must fail promptly
// with an error that names the endpoint, not hang or crash. (moto keeps its state in memory, so
// there is nothing left to inspect afterwards; the proxy test above checks the cleanup.)
TEST(S3KilledServerTest, WriterFailsClearlyWhenTheServerIsKilled) {
  Result<std::unique_ptr<S3TestServer>> started = S3TestServer::Start(S3ServerKind::kMoto);
  if (!started.ok()) {
    if (started.status().code() == StatusCode::kNotSupported) {
      GTEST_SKIP() << started.status().message();
    }
    FAIL() << started.status().ToString();
  }
  S3TestServer& server = **started;
  ASSERT_TRUE(server.CreateBucket("killed").ok());
  S3Config config = server.Config();
  config.part_size = 5 << 20;
  auto client = std::make_shared<S3Client>(config);
  S3FileSystem fs(client, "killed", "");
  Result<std::unique_ptr<WritableFile>> file = fs.OpenForWrite("big.bin");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append(Bytes(6 << 20)).ok());  // part 1 is on its way
  server.Kill();
  Status st = (*file)->Append(Bytes(5 << 20));
  if (st.ok()) st = (*file)->Close();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
  EXPECT_NE(st.message().find(server.endpoint()), std::string::npos) << st.message();
  EXPECT_FALSE((*file)->Close().ok()) << "a failed writer publishes nothing later";
}

}  // namespace
}  // namespace saleslake::io::s3
