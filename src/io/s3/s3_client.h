// The S3 REST operations saleslake uses, signed with SigV4 and sent over libcurl.
//
// Every call retries what is worth retrying (5xx, 429, SlowDown, broken or refused connections,
// timeouts) with exponential backoff and full jitter, up to S3Config::retry.max_attempts, signing
// each attempt afresh. Errors are Statuses that name the operation, the bucket and key and what
// to do (s3_errors.h); no message or log line holds a secret key or session token.
// Thread-safe: one client serves a whole process.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "io/http_client.h"
#include "io/s3/s3_config.h"

namespace saleslake::io::s3 {

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  int64_t mtime_micros = 0;  // 0 if unknown
  std::string etag;          // with its quotes, as S3 sends it
};

struct ListPage {
  std::vector<ObjectInfo> objects;
  std::vector<std::string> common_prefixes;  // with delimiter: "dir/" keys
  std::string next_continuation_token;       // empty on the last page
};

struct CompletedPart {
  int part_number = 0;
  std::string etag;
};

struct MultipartUploadInfo {
  std::string key;
  std::string upload_id;
};

// Where a request goes: the URL, and the Host header and path that are signed.
struct RequestTarget {
  std::string url;   // scheme://authority/path?query
  std::string host;  // Host header value
  std::string path;  // encoded path, the canonical URI
};

// Builds the target for `bucket`/`key` with the already-encoded `canonical_query`, following the
// endpoint and addressing style of `config` (see s3_config.h).
RequestTarget MakeRequestTarget(const S3Config& config, std::string_view bucket,
                                std::string_view key, std::string_view canonical_query);

// True if `bucket` can be a DNS label in a virtual-hosted URL (lower-case letters, digits and
// '-', 3..63 characters, no dots: a dot would break TLS wildcard certificates).
bool IsVirtualHostableBucket(std::string_view bucket);

class S3Client {
 public:
  explicit S3Client(S3Config config);
  ~S3Client();

  const S3Config& config() const { return config_; }

  // NotFound when the object does not exist.
  Result<ObjectInfo> HeadObject(std::string_view bucket, std::string_view key);
  // What HeadObject says, plus the object's first min(size, prefix_bytes) bytes in `prefix`, in
  // one request (a ranged GET); an empty object, or a server refusing the range, costs a HEAD
  // more. Opening a file this way saves a round trip, and a small file is read whole.
  Result<ObjectInfo> GetObjectStart(std::string_view bucket, std::string_view key,
                                    size_t prefix_bytes, std::string* prefix);
  // Exactly `length` bytes at `offset`; a non-empty `if_match` ETag makes S3 refuse (Aborted)
  // when the object was replaced since it was opened. `object_size` (0 if unknown) lets a
  // server that answers more than the range (the whole object) still be understood.
  Status GetObjectRange(std::string_view bucket, std::string_view key, uint64_t offset,
                        uint64_t length, std::string_view if_match, uint64_t object_size,
                        std::string* out);
  Result<std::string> PutObject(std::string_view bucket, std::string_view key,
                                std::string_view body);  // returns the ETag
  Status DeleteObject(std::string_view bucket, std::string_view key);
  // Deletes in batches of 1000 (S3's limit); keys that do not exist are not errors.
  Status DeleteObjects(std::string_view bucket, const std::vector<std::string>& keys);
  Status CopyObject(std::string_view bucket, std::string_view from_key, std::string_view to_key);

  // One page of ListObjectsV2. `delimiter` "" lists recursively.
  Result<ListPage> ListObjectsPage(std::string_view bucket, std::string_view prefix,
                                   std::string_view delimiter, std::string_view continuation,
                                   int max_keys = 1000);
  // Every page, concatenated.
  Result<ListPage> ListObjects(std::string_view bucket, std::string_view prefix,
                               std::string_view delimiter);

  Result<std::string> CreateMultipartUpload(std::string_view bucket, std::string_view key);
  Result<std::string> UploadPart(std::string_view bucket, std::string_view key,
                                 std::string_view upload_id, int part_number,
                                 std::string_view body);  // returns the part's ETag
  Status CompleteMultipartUpload(std::string_view bucket, std::string_view key,
                                 std::string_view upload_id,
                                 const std::vector<CompletedPart>& parts);
  Status AbortMultipartUpload(std::string_view bucket, std::string_view key,
                              std::string_view upload_id);
  Result<std::vector<MultipartUploadInfo>> ListMultipartUploads(std::string_view bucket,
                                                                std::string_view prefix);

  // For tests and set-up tools: creates a bucket in the configured region.
  Status CreateBucket(std::string_view bucket);
  // Removes an empty bucket (S3 refuses one that holds objects: BucketNotEmpty).
  Status DeleteBucket(std::string_view bucket);

 private:
  struct Call;
  // Sends `call` with retries; returns the response of a success (2xx) or the error Status.
  Result<HttpResponse> Execute(const Call& call, int* attempts_used = nullptr);
  int64_t BackoffDelayMs(int attempt);
  // Removes any secret that could have been echoed into `status`'s message.
  Status Redact(const Status& status) const;

  S3Config config_;
  HttpClient http_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;
};

}  // namespace saleslake::io::s3
