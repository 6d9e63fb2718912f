// Storage settings given on the command line (--s3-endpoint, --s3-region, --s3-no-verify-tls,
// --commit-log):
// the flag parser (cli.h) records them here once, and the S3 configuration (io/s3/s3_config.h)
// reads them before the environment and the AWS files. The process environment is never
// changed, so child processes and other threads see it as it was.
#pragma once

#include <string>

namespace saleslake {

struct StorageFlags {
  std::string s3_endpoint;  // "" = not given
  std::string s3_region;    // "" = not given
  bool s3_no_verify_tls = false;
};

// Records the settings given (empty fields leave earlier ones as they are).
void SetStorageFlags(const StorageFlags& flags);
StorageFlags GetStorageFlags();

// --commit-log as given ("" = the embedded log; lake/commit_log_store.h reads it).
void SetCommitLogFlag(const std::string& uri);
std::string GetCommitLogFlag();

}  // namespace saleslake
