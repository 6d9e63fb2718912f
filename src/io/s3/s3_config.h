// Where an S3 lake is, who we are there, and how hard we try: resolved once, from the places the
// AWS tools read, so a machine set up for the AWS CLI works unchanged.
//
// Precedence, first match wins:
//   credentials  AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
//                else the profile (AWS_PROFILE, default "default") in ~/.aws/credentials, then in
//                ~/.aws/config ([profile NAME], or [default]). AWS_SHARED_CREDENTIALS_FILE and
//                AWS_CONFIG_FILE move those files.
//   region       SALESLAKE_S3_REGION (--s3-region), AWS_REGION, AWS_DEFAULT_REGION, the profile's
//                region, us-east-1.
//   endpoint     SALESLAKE_S3_ENDPOINT (--s3-endpoint), AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL,
//                the profile's s3.endpoint_url / endpoint_url; none means AWS itself.
//   addressing   SALESLAKE_S3_ADDRESSING (path|virtual), the profile's s3.addressing_style;
//                default path-style for a custom endpoint, virtual-hosted for AWS (path-style
//                there only for bucket names that cannot be a host name, e.g. with dots).
//   TLS          verified; SALESLAKE_S3_NO_VERIFY_TLS=1 (--s3-no-verify-tls) turns it off for
//                test endpoints; AWS_CA_BUNDLE (or the profile's ca_bundle) adds a CA file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "io/s3/sigv4.h"

namespace saleslake::io::s3 {

enum class AddressingStyle { kPath, kVirtualHosted };

// How hard a request is tried and how long it may take.
struct S3RetryOptions {
  int max_attempts = 5;  // first try included
  int64_t base_delay_ms = 100;
  int64_t max_delay_ms = 10'000;
};

struct S3Config {
  AwsCredentials credentials;
  std::string region = "us-east-1";
  // "http(s)://host[:port][/path]"; empty means AWS (https://s3.<region>.amazonaws.com).
  std::string endpoint_url;
  AddressingStyle addressing = AddressingStyle::kVirtualHosted;
  bool verify_tls = true;
  std::string ca_bundle;  // extra CA certificates file, or empty
  S3RetryOptions retry;
  int64_t connect_timeout_ms = 10'000;
  // One attempt of one request, from connect to the last byte. Parts are at most a few MiB, so
  // this bounds a stuck transfer without cutting off a slow but moving one.
  int64_t request_timeout_ms = 300'000;
  // Multipart threshold and part size (S3 needs >= 5 MiB for every part but the last).
  size_t part_size = 8 << 20;
  // Parts of one upload sent at once (SALESLAKE_S3_UPLOAD_CONCURRENCY); memory per writer is
  // (this + 1) parts.
  int upload_concurrency = 4;
};

// Reads the environment and files; tests substitute their own.
struct ConfigSources {
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  // The file's text, nullopt when it does not exist.
  std::function<Result<std::optional<std::string>>(const std::string& path)> read_file;
};

ConfigSources ProcessConfigSources();  // the real environment and file system

// Resolves everything above. Missing credentials are an error that says how to provide them.
Result<S3Config> LoadS3Config(const ConfigSources& sources);
Result<S3Config> LoadS3ConfigFromEnvironment();

// "1/true/yes/on" and "0/false/no/off/" (case-insensitive).
Result<bool> ParseConfigBool(std::string_view name, std::string_view value);

}  // namespace saleslake::io::s3
