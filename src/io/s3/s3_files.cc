// The read and write sides of S3FileSystem.
#include "base/logging.h"
#include "io/s3/s3_errors.h"
#include "io/s3/s3_file_system.h"

namespace saleslake::io::s3 {
namespace {

// Ranged GETs; Size comes from the HEAD done at open. Each read names the ETag seen at open, so
// an object replaced while being read fails loudly (Aborted) instead of mixing two versions.
class S3RandomAccessFile final : public RandomAccessFile {
 public:
  S3RandomAccessFile(std::shared_ptr<S3Client> client, std::string bucket, std::string key,
                     std::string path, uint64_t size, std::string etag)
      : client_(std::move(client)),
        bucket_(std::move(bucket)),
        key_(std::move(key)),
        path_(std::move(path)),
        size_(size),
        etag_(std::move(etag)) {}

  uint64_t Size() const override { return size_; }
  const std::string& path() const override { return path_; }

  Status ReadAt(uint64_t offset, uint64_t length, std::string* out) override {
    if (offset > size_ || length > size_ - offset) {
      return Status::InvalidArgument("cannot read " + std::to_string(length) + " bytes at offset " +
                                     std::to_string(offset) + " of '" + S3Location(bucket_, key_) +
                                     "': the file has " + std::to_string(size_) + " bytes");
    }
    return client_->GetObjectRange(bucket_, key_, offset, length, etag_, size_, out);
  }

 private:
  std::shared_ptr<S3Client> client_;
  std::string bucket_, key_, path_;
  uint64_t size_;
  std::string etag_;
};

// Buffers up to one part. Small files are one PUT at Close; once the buffer first fills, a
// multipart upload starts and each full part is sent as it fills, so memory stays at one part
// whatever the file size. Nothing is visible before Close completes the upload.
class S3WritableFile final : public WritableFile {
 public:
  S3WritableFile(std::shared_ptr<S3Client> client, std::string bucket, std::string key,
                 std::string path)
      : client_(std::move(client)),
        bucket_(std::move(bucket)),
        key_(std::move(key)),
        path_(std::move(path)),
        part_size_(std::max<size_t>(client_->config().part_size, 5 << 20)) {}

  ~S3WritableFile() override {
    if (!done_) Abort().IgnoreError();
  }

  const std::string& path() const override { return path_; }
  uint64_t BytesWritten() const override { return bytes_written_; }

  Status Append(std::string_view data) override {
    if (done_) return Finished();
    bytes_written_ += data.size();
    while (!data.empty()) {
      size_t take = std::min(data.size(), part_size_ - buffer_.size());
      if (buffer_.capacity() < part_size_ && buffer_.size() + take > buffer_.capacity()) {
        buffer_.reserve(std::min(part_size_, std::max(buffer_.size() + take, buffer_.size() * 2)));
      }
      buffer_.append(data.substr(0, take));
      data.remove_prefix(take);
      if (buffer_.size() == part_size_) {
        Status st = SendPart();
        if (!st.ok()) return Fail(st);
      }
    }
    return Status::OK();
  }

  Status Close() override {
    if (done_) return Finished();
    done_ = true;
    if (upload_id_.empty()) {
      Result<std::string> put = client_->PutObject(bucket_, key_, buffer_);
      Release();
      return put.status();
    }
    Status st;
    if (!buffer_.empty()) st = SendPart();
    if (st.ok()) st = client_->CompleteMultipartUpload(bucket_, key_, upload_id_, parts_);
    if (!st.ok()) return Fail(st);
    log::Debug(
        "s3.multipart.done",
        {{"bucket", bucket_}, {"key", key_}, {"parts", parts_.size()}, {"bytes", bytes_written_}});
    upload_id_.clear();
    Release();
    return Status::OK();
  }

  Status Abort() override {
    done_ = true;
    Release();
    if (upload_id_.empty()) return Status::OK();
    std::string upload_id = std::move(upload_id_);
    upload_id_.clear();
    return client_->AbortMultipartUpload(bucket_, key_, upload_id);
  }

 private:
  Status SendPart() {
    if (upload_id_.empty()) {
      SL_ASSIGN_OR_RETURN(upload_id_, client_->CreateMultipartUpload(bucket_, key_));
    }
    int number = static_cast<int>(parts_.size()) + 1;
    if (number > 10000) {
      return Status::ResourceExhausted("cannot write " + S3Location(bucket_, key_) +
                                       ": over 10000 parts of " + std::to_string(part_size_) +
                                       " bytes, S3's limit for one object");
    }
    SL_ASSIGN_OR_RETURN(std::string etag,
                        client_->UploadPart(bucket_, key_, upload_id_, number, buffer_));
    parts_.push_back({number, std::move(etag)});
    buffer_.clear();
    return Status::OK();
  }

  // Ends the write after an error: the upload is aborted (best effort; S3's lifecycle rules
  // for incomplete uploads catch what a dead network leaves) and the error returned.
  Status Fail(const Status& error) {
    Status aborted = Abort();
    if (!aborted.ok()) {
      log::Warn("s3.multipart.abort_failed",
                {{"bucket", bucket_}, {"key", key_}, {"error", aborted}});
    }
    return error;
  }

  void Release() {
    buffer_.clear();
    buffer_.shrink_to_fit();
  }

  Status Finished() const {
    return Status::InvalidArgument("'" + S3Location(bucket_, key_) +
                                   "' was already closed or aborted");
  }

  std::shared_ptr<S3Client> client_;
  std::string bucket_, key_, path_;
  size_t part_size_;
  std::string buffer_;
  std::string upload_id_;  // set once the multipart upload has started
  std::vector<CompletedPart> parts_;
  uint64_t bytes_written_ = 0;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<RandomAccessFile> MakeS3RandomAccessFile(std::shared_ptr<S3Client> client,
                                                         std::string bucket, std::string key,
                                                         std::string path, uint64_t size,
                                                         std::string etag) {
  return std::make_unique<S3RandomAccessFile>(std::move(client), std::move(bucket), std::move(key),
                                              std::move(path), size, std::move(etag));
}

std::unique_ptr<WritableFile> MakeS3WritableFile(std::shared_ptr<S3Client> client,
                                                 std::string bucket, std::string key,
                                                 std::string path) {
  return std::make_unique<S3WritableFile>(std::move(client), std::move(bucket), std::move(key),
                                          std::move(path));
}

}  // namespace saleslake::io::s3
