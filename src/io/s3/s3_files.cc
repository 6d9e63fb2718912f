// The read and write sides of S3FileSystem.
#include <algorithm>
#include <deque>
#include <future>
#include <mutex>

#include "base/logging.h"
#include "io/s3/s3_errors.h"
#include "io/s3/s3_file_system.h"

namespace saleslake::io::s3 {
namespace {

// Ranged GETs; Size comes from the HEAD done at open. Each read names the ETag seen at open, so
// an object replaced while being read fails loudly (Aborted) instead of mixing two versions.
//
// Reads that continue where the previous one ended are read ahead: the file fetches a window
// that doubles with each sequential miss (8 MiB up to 64 MiB) and serves the following reads from
// it. Every S3 request costs a round trip (and some servers a fixed price per request), so a
// scan in small pieces becomes a few large GETs; random reads (a Parquet footer, one column
// chunk) still fetch exactly what they ask for.
class S3RandomAccessFile final : public RandomAccessFile {
 public:
  static constexpr uint64_t kMinWindow = 8 << 20;
  static constexpr uint64_t kMaxWindow = 64 << 20;

  S3RandomAccessFile(std::shared_ptr<S3Client> client, std::string bucket, std::string key,
                     std::string path, uint64_t size, std::string etag, std::string start)
      : client_(std::move(client)),
        bucket_(std::move(bucket)),
        key_(std::move(key)),
        path_(std::move(path)),
        size_(size),
        etag_(std::move(etag)),
        buffer_(std::move(start)) {}

  uint64_t Size() const override { return size_; }
  const std::string& path() const override { return path_; }

  Status ReadAt(uint64_t offset, uint64_t length, std::string* out) override {
    if (offset > size_ || length > size_ - offset) {
      return Status::InvalidArgument("cannot read " + std::to_string(length) + " bytes at offset " +
                                     std::to_string(offset) + " of '" + S3Location(bucket_, key_) +
                                     "': the file has " + std::to_string(size_) + " bytes");
    }
    if (length == 0) {
      out->clear();
      return Status::OK();
    }
    std::unique_lock lock(mu_);
    if (offset >= buffer_offset_ && offset + length <= buffer_offset_ + buffer_.size()) {
      out->assign(buffer_, offset - buffer_offset_, length);
      next_sequential_ = offset + length;
      return Status::OK();
    }
    bool sequential = offset == next_sequential_;
    next_sequential_ = offset + length;
    if (!sequential) {
      window_ = 0;
      lock.unlock();
      return Get(offset, length, out);
    }
    // The lock is held while the window is fetched: a concurrent sequential reader waits for it
    // rather than fetching the same bytes again.
    window_ = window_ == 0 ? kMinWindow : std::min(window_ * 2, kMaxWindow);
    uint64_t fetch = std::min(size_ - offset, std::max(length, window_));
    buffer_.clear();
    Status st = Get(offset, fetch, &buffer_);
    if (!st.ok()) {
      buffer_.clear();
      buffer_offset_ = 0;
      return st;
    }
    buffer_offset_ = offset;
    out->assign(buffer_, 0, length);
    return Status::OK();
  }

 private:
  Status Get(uint64_t offset, uint64_t length, std::string* out) {
    return client_->GetObjectRange(bucket_, key_, offset, length, etag_, size_, out);
  }

  std::shared_ptr<S3Client> client_;
  std::string bucket_, key_, path_;
  uint64_t size_;
  std::string etag_;
  std::mutex mu_;
  // Bytes [buffer_offset_, + size): the start fetched at open, then the read-ahead window.
  std::string buffer_;
  uint64_t buffer_offset_ = 0;
  uint64_t next_sequential_ = UINT64_MAX;  // where the previous read ended
  uint64_t window_ = 0;
};

// Small files are one PUT at Close. Once the buffer first fills a part, a multipart upload
// starts and each full part is sent as it fills, up to S3Config::upload_concurrency parts at once
// on their own threads, so memory stays at (concurrency + 1) parts whatever the file size.
// Nothing is visible before Close completes the upload; on any failure, Abort or destruction,
// in-flight parts are waited for and the upload is aborted.
class S3WritableFile final : public WritableFile {
 public:
  S3WritableFile(std::shared_ptr<S3Client> client, std::string bucket, std::string key,
                 std::string path)
      : client_(std::move(client)),
        bucket_(std::move(bucket)),
        key_(std::move(key)),
        path_(std::move(path)),
        part_size_(std::max<size_t>(client_->config().part_size, 5 << 20)),
        max_in_flight_(static_cast<size_t>(std::max(1, client_->config().upload_concurrency))) {}

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
    if (st.ok()) st = WaitForParts(0);
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
    // No part may still be on its way when the upload is aborted: it could recreate it.
    WaitForParts(0).IgnoreError();
    if (upload_id_.empty()) return Status::OK();
    std::string upload_id = std::move(upload_id_);
    upload_id_.clear();
    return client_->AbortMultipartUpload(bucket_, key_, upload_id);
  }

 private:
  struct InFlight {
    int number;
    std::future<Result<std::string>> etag;
  };

  Status SendPart() {
    if (upload_id_.empty()) {
      SL_ASSIGN_OR_RETURN(upload_id_, client_->CreateMultipartUpload(bucket_, key_));
    }
    int number = next_part_++;
    if (number > 10000) {
      return Status::ResourceExhausted("cannot write " + S3Location(bucket_, key_) +
                                       ": over 10000 parts of " + std::to_string(part_size_) +
                                       " bytes, S3's limit for one object");
    }
    SL_RETURN_IF_ERROR(WaitForParts(max_in_flight_ - 1));
    auto body = std::make_shared<std::string>(std::move(buffer_));
    buffer_ = std::string();
    buffer_.reserve(part_size_);
    in_flight_.push_back(
        {number, std::async(std::launch::async, [client = client_, bucket = bucket_, key = key_,
                                                 upload_id = upload_id_, number, body] {
           return client->UploadPart(bucket, key, upload_id, number, *body);
         })});
    return Status::OK();
  }

  // Waits until at most `keep` parts are in flight, oldest first, collecting their ETags. Returns
  // the first failure (after which the remaining parts are still waited for by Abort).
  Status WaitForParts(size_t keep) {
    Status first_error;
    while (in_flight_.size() > keep) {
      InFlight part = std::move(in_flight_.front());
      in_flight_.pop_front();
      Result<std::string> etag = part.etag.get();
      if (!etag.ok()) {
        if (first_error.ok()) first_error = etag.status();
        continue;
      }
      parts_.push_back({part.number, std::move(etag).value()});
      if (!first_error.ok()) continue;
    }
    std::sort(parts_.begin(), parts_.end(), [](const CompletedPart& a, const CompletedPart& b) {
      return a.part_number < b.part_number;
    });
    return first_error;
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
  size_t max_in_flight_;
  std::string buffer_;
  std::string upload_id_;  // set once the multipart upload has started
  int next_part_ = 1;
  std::deque<InFlight> in_flight_;
  std::vector<CompletedPart> parts_;  // finished parts, by number
  uint64_t bytes_written_ = 0;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<RandomAccessFile> MakeS3RandomAccessFile(std::shared_ptr<S3Client> client,
                                                         std::string bucket, std::string key,
                                                         std::string path, uint64_t size,
                                                         std::string etag, std::string start) {
  return std::make_unique<S3RandomAccessFile>(std::move(client), std::move(bucket), std::move(key),
                                              std::move(path), size, std::move(etag),
                                              std::move(start));
}

std::unique_ptr<WritableFile> MakeS3WritableFile(std::shared_ptr<S3Client> client,
                                                 std::string bucket, std::string key,
                                                 std::string path) {
  return std::make_unique<S3WritableFile>(std::move(client), std::move(bucket), std::move(key),
                                          std::move(path));
}

}  // namespace saleslake::io::s3
