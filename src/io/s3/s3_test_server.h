// Test fixtures: real S3 servers on 127.0.0.1, each on a free port, stopped at teardown.
//
//   moto       python3 -m moto.server; accepts any credentials and does not check signatures.
//   moto+auth  the same with INITIAL_NO_AUTH_ACTION_COUNT set: moto then checks signatures, and
//              the fixture makes an IAM user and access key with the first unauthenticated
//              calls. (In this mode moto also refuses correctly signed requests for keys holding
//              '=' or a space; tests here use plain keys.)
//   s3rver     node tests/node_modules/s3rver: checks the access key id (S3RVER) but not the
//              SigV4 signature itself.
// A missing tool makes Start return NotSupported with a message, for GTEST_SKIP.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "base/status.h"
#include "io/s3/s3_config.h"

namespace saleslake::io::s3::testing {

enum class S3ServerKind { kMoto, kMotoWithAuth, kS3rver };

std::string_view S3ServerName(S3ServerKind kind);

// OK when the tool that runs `kind` is installed; NotSupported saying what is missing otherwise.
Status S3ServerAvailable(S3ServerKind kind);

class S3TestServer {
 public:
  static Result<std::unique_ptr<S3TestServer>> Start(S3ServerKind kind);
  ~S3TestServer();

  S3ServerKind kind() const { return kind_; }
  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Credentials the server accepts.
  const AwsCredentials& credentials() const { return credentials_; }
  // A configuration for this server: path-style, us-east-1, few and quick retries.
  S3Config Config() const;
  // Creates `bucket` (S3 bucket names: 3-63 lower-case letters, digits, '-').
  Status CreateBucket(const std::string& bucket);
  // Kills the server at once (SIGKILL), as a crash would.
  void Kill();
  // The server's own log, for failure messages.
  std::string LogTail() const;

 private:
  S3TestServer() = default;
  Status Launch();
  Status WaitReady();
  Status MakeIamUser();

  S3ServerKind kind_ = S3ServerKind::kMoto;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string work_dir_;
  AwsCredentials credentials_;
};

// One server of each kind per test program, started on first use and stopped at exit. A failure
// to start is remembered, so every test that needs the server skips with the same message.
Result<S3TestServer*> SharedS3TestServer(S3ServerKind kind);

// A unique bucket name for one test ("sl-test-<counter>-<random>").
std::string UniqueBucketName();

// Binds 127.0.0.1:0 and returns the port the kernel chose (closed again).
int FreeLoopbackPort();

}  // namespace saleslake::io::s3::testing
