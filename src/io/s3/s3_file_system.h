// S3FileSystem: a FileSystem over one bucket and key prefix ("s3://bucket/prefix").
//
// Paths map to keys below the prefix: "raw/x.parquet" under s3://lake/prod is the object
// "prod/raw/x.parquet". S3 has no directories, so a directory is any prefix that has objects
// under it, or an empty "dir/" marker object (what CreateDir writes, as the AWS console does).
// Publication is atomic because S3's is: a WritableFile sends one PUT below the part size, or a
// multipart upload above it that only becomes visible when completed; Abort (or a failure, or
// destruction without Close) aborts the upload so no parts linger.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"
#include "io/s3/s3_client.h"

namespace saleslake::io::s3 {

class S3FileSystem final : public FileSystem {
 public:
  // `prefix` is a normalised path ("" for the whole bucket).
  S3FileSystem(std::shared_ptr<S3Client> client, std::string bucket, std::string prefix);

  std::string_view scheme() const override { return "s3"; }
  std::string root_uri() const override;

  Result<FileInfo> GetFileInfo(std::string_view path) override;
  Result<std::vector<FileInfo>> List(std::string_view prefix,
                                     const ListOptions& options = {}) override;
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(std::string_view path) override;
  Result<std::unique_ptr<WritableFile>> OpenForWrite(std::string_view path) override;
  Status Delete(std::string_view path) override;
  Status DeleteMany(const std::vector<std::string>& paths) override;
  Status Move(std::string_view from, std::string_view to) override;
  Status CreateDir(std::string_view path) override;

  const std::string& bucket() const { return bucket_; }
  // The object key of a normalised path.
  std::string ObjectKey(std::string_view path) const;
  S3Client& client() { return *client_; }

 private:
  // Lists what lies under the directory `dir` (a normalised path); `limit` > 0 stops early.
  Result<ListPage> ListUnder(std::string_view dir, bool recursive, int limit = 0);

  std::shared_ptr<S3Client> client_;
  std::string bucket_;
  std::string prefix_;
};

// Read and write sides, in s3_files.cc.
// `start` holds the object's first bytes when already fetched (GetObjectStart).
std::unique_ptr<RandomAccessFile> MakeS3RandomAccessFile(std::shared_ptr<S3Client> client,
                                                         std::string bucket, std::string key,
                                                         std::string path, uint64_t size,
                                                         std::string etag, std::string start);
std::unique_ptr<WritableFile> MakeS3WritableFile(std::shared_ptr<S3Client> client,
                                                 std::string bucket, std::string key,
                                                 std::string path);

}  // namespace saleslake::io::s3
