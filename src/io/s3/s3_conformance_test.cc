// The FileSystem conformance suite (io/file_system_conformance_test.h) on S3, against two real S3
// servers on loopback: moto and s3rver. Each test gets a fresh key prefix in a shared bucket.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "io/file_system_conformance_test.h"
#include "io/s3/s3_client.h"
#include "io/s3/s3_file_system.h"
#include "io/s3/s3_test_server.h"

namespace saleslake::io::s3 {
namespace {

using testing::S3ServerKind;

// A fresh, empty S3FileSystem under its own prefix of the server's conformance bucket.
Result<std::shared_ptr<FileSystem>> MakeEmpty(S3ServerKind kind) {
  static std::mutex mu;
  static std::map<S3ServerKind, std::shared_ptr<S3Client>> clients;
  static std::atomic<int> next_prefix{0};
  std::shared_ptr<S3Client> client;
  {
    std::lock_guard lock(mu);
    auto it = clients.find(kind);
    if (it == clients.end()) {
      SL_ASSIGN_OR_RETURN(testing::S3TestServer * server, testing::SharedS3TestServer(kind));
      SL_RETURN_IF_ERROR(server->CreateBucket("sl-conformance"));
      it = clients.emplace(kind, std::make_shared<S3Client>(server->Config())).first;
    }
    client = it->second;
  }
  std::string prefix = "lake-" + std::to_string(next_prefix++);
  return std::shared_ptr<FileSystem>(
      std::make_shared<S3FileSystem>(std::move(client), "sl-conformance", prefix));
}

std::vector<FileSystemUnderTest> AvailableServers() {
  std::vector<FileSystemUnderTest> out;
  for (S3ServerKind kind : {S3ServerKind::kMoto, S3ServerKind::kS3rver}) {
    if (!testing::S3ServerAvailable(kind).ok()) continue;
    FileSystemUnderTest t;
    t.name = "s3_" + std::string(testing::S3ServerName(kind));
    t.make_empty = [kind] { return MakeEmpty(kind); };
    // s3rver takes tens of milliseconds per PUT: enough files for two list pages, no more.
    t.many_files = kind == S3ServerKind::kS3rver ? 1100 : 2500;
    t.real_directories = false;
    t.open_files_keep_old_contents = false;
    out.push_back(std::move(t));
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(S3, FileSystemConformanceTest, ::testing::ValuesIn(AvailableServers()),
                         FileSystemUnderTestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FileSystemConformanceTest);

// Says why a server's instance is missing, instead of passing silently.
TEST(S3ConformanceServers, AreAvailable) {
  std::string missing;
  for (S3ServerKind kind : {S3ServerKind::kMoto, S3ServerKind::kS3rver}) {
    Status st = testing::S3ServerAvailable(kind);
    if (!st.ok()) missing += std::string(testing::S3ServerName(kind)) + ": " + st.message() + "; ";
  }
  if (!missing.empty()) GTEST_SKIP() << "S3 conformance not run on: " << missing;
}

}  // namespace
}  // namespace saleslake::io::s3
