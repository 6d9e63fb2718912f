#include "io/s3/s3_factory.h"

#include <map>
#include <mutex>

#include "base/hash.h"
#include "io/s3/s3_file_system.h"
#include "io/uri.h"

namespace saleslake::io::s3 {
namespace {

// One client per distinct configuration, shared by every file system opened with it, so that
// connections are reused across FileSystemFromUri calls. Kept weakly: the last user frees it.
Result<std::shared_ptr<S3Client>> SharedClient(const S3Config& config) {
  static std::mutex mu;
  static auto* clients = new std::map<std::string, std::weak_ptr<S3Client>>();
  const AwsCredentials& c = config.credentials;
  // Hashed, so that the map never holds a secret in readable form.
  std::string fingerprint = Sha256Hex(
      c.access_key_id + '\n' + c.secret_access_key + '\n' + c.session_token + '\n' + config.region +
      '\n' + config.endpoint_url + '\n' + std::to_string(static_cast<int>(config.addressing)) +
      '\n' + (config.verify_tls ? "1" : "0") + '\n' + config.ca_bundle + '\n' +
      std::to_string(config.retry.max_attempts) + '\n' + std::to_string(config.connect_timeout_ms) +
      '\n' + std::to_string(config.request_timeout_ms) + '\n' + std::to_string(config.part_size) +
      '\n' + std::to_string(config.upload_concurrency));
  std::lock_guard lock(mu);
  std::weak_ptr<S3Client>& slot = (*clients)[fingerprint];
  if (std::shared_ptr<S3Client> existing = slot.lock()) return existing;
  auto client = std::make_shared<S3Client>(config);
  slot = client;
  return client;
}

}  // namespace

namespace {

Result<std::string> BucketOf(std::string_view uri) {
  SL_ASSIGN_OR_RETURN(ParsedUri parsed, ParseUri(uri));
  if (parsed.scheme != "s3" || parsed.authority.empty()) {
    return Status::InvalidArgument("'" + std::string(uri) +
                                   "' is not a bucket: give s3://bucket (buckets are on S3 only)");
  }
  if (!parsed.path.empty()) {
    return Status::InvalidArgument("'" + std::string(uri) +
                                   "' names a key inside a bucket: give s3://bucket alone");
  }
  return parsed.authority;
}

}  // namespace

Status MakeBucket(std::string_view uri) {
  SL_ASSIGN_OR_RETURN(std::string bucket, BucketOf(uri));
  SL_ASSIGN_OR_RETURN(S3Config config, LoadS3ConfigFromEnvironment());
  SL_ASSIGN_OR_RETURN(std::shared_ptr<S3Client> client, SharedClient(config));
  return client->CreateBucket(bucket);
}

Status RemoveBucket(std::string_view uri) {
  SL_ASSIGN_OR_RETURN(std::string bucket, BucketOf(uri));
  SL_ASSIGN_OR_RETURN(S3Config config, LoadS3ConfigFromEnvironment());
  SL_ASSIGN_OR_RETURN(std::shared_ptr<S3Client> client, SharedClient(config));
  Status st = client->DeleteBucket(bucket);
  if (!st.ok() && st.message().find("BucketNotEmpty") != std::string::npos) {
    return Status::InvalidArgument("bucket " + std::string(uri) +
                                   " is not empty: remove its objects first (saleslake fs rm "
                                   "-r " +
                                   std::string(uri) + "/)");
  }
  return st;
}

Result<std::shared_ptr<FileSystem>> S3FileSystemFromUri(std::string_view uri) {
  SL_ASSIGN_OR_RETURN(S3Config config, LoadS3ConfigFromEnvironment());
  return S3FileSystemFromUri(uri, config);
}

Result<std::shared_ptr<FileSystem>> S3FileSystemFromUri(std::string_view uri,
                                                        const S3Config& config) {
  SL_ASSIGN_OR_RETURN(ParsedUri parsed, ParseUri(uri));
  if (parsed.scheme != "s3") {
    return Status::InvalidArgument("'" + std::string(uri) + "' is not an s3:// URI");
  }
  const std::string& bucket = parsed.authority;
  bool valid = bucket.size() >= 3 && bucket.size() <= 255;
  for (char c : bucket) {
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_');
  }
  if (!valid) {
    return Status::InvalidArgument("invalid S3 bucket name '" + bucket + "' in '" +
                                   std::string(uri) +
                                   "': use 3 to 63 lower-case letters, digits, '.' and '-'");
  }
  SL_ASSIGN_OR_RETURN(std::shared_ptr<S3Client> client, SharedClient(config));
  return std::shared_ptr<FileSystem>(
      std::make_shared<S3FileSystem>(std::move(client), parsed.authority, parsed.path));
}

}  // namespace saleslake::io::s3
