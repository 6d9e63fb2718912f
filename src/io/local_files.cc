#include "io/local_files.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/path.h"
#include "io/posix_util.h"

namespace saleslake::io::local {
namespace {

// Appends are gathered into writes of this size: few syscalls, bounded memory per open file.
constexpr size_t kWriteBufferBytes = 1 << 20;
// Written bytes handed to the disk (asynchronously) every this many, so the fsync that publishes
// a large file waits for its last few megabytes, not all of them.
constexpr uint64_t kWritebackBytes = 8 << 20;

class LocalRandomAccessFile final : public RandomAccessFile {
 public:
  LocalRandomAccessFile(std::string key, std::string os_path, int fd, uint64_t size)
      : key_(std::move(key)), os_path_(std::move(os_path)), fd_(fd), size_(size) {}
  ~LocalRandomAccessFile() override { ::close(fd_); }

  uint64_t Size() const override { return size_; }
  const std::string& path() const override { return key_; }

  Status ReadAt(uint64_t offset, uint64_t length, std::string* out) override {
    if (offset > size_ || length > size_ - offset) {
      return Status::InvalidArgument("cannot read " + std::to_string(length) + " bytes at offset " +
                                     std::to_string(offset) + " of '" + os_path_ +
                                     "': the file has " + std::to_string(size_) + " bytes");
    }
    out->resize(length);
    // Published files are never modified in place (writes replace them by rename), so the size
    // seen at open time stays true for this descriptor.
    return posix::PreadFully(fd_, offset, length, out->data(), os_path_);
  }

 private:
  std::string key_;
  std::string os_path_;
  int fd_;
  uint64_t size_;
};

class LocalWritableFile final : public WritableFile {
 public:
  LocalWritableFile(std::string key, std::string os_path, std::string dir_os_path,
                    std::string temp_os_path, int fd)
      : key_(std::move(key)),
        os_path_(std::move(os_path)),
        dir_os_path_(std::move(dir_os_path)),
        temp_os_path_(std::move(temp_os_path)),
        fd_(fd) {
    buffer_.reserve(kWriteBufferBytes);
  }
  ~LocalWritableFile() override { Abort().IgnoreError(); }

  const std::string& path() const override { return key_; }
  uint64_t BytesWritten() const override { return bytes_written_; }

  Status Append(std::string_view data) override {
    if (done_) return Finished();
    bytes_written_ += data.size();
    if (buffer_.size() + data.size() < kWriteBufferBytes) {
      buffer_.append(data);
      return Status::OK();
    }
    Status st = Flush();
    if (st.ok() && data.size() >= kWriteBufferBytes) {
      st = posix::WriteFully(fd_, data, temp_os_path_);
      if (st.ok()) Written(data.size());
    } else if (st.ok()) {
      buffer_.append(data);
    }
    if (!st.ok()) Abort().IgnoreError();
    return st;
  }

  Status Close() override {
    if (done_) return Finished();
    Status st = Flush();
    if (st.ok() && ::fsync(fd_) != 0) st = posix::ErrnoStatus(errno, "cannot sync", temp_os_path_);
    if (!st.ok()) {
      Abort().IgnoreError();
      return st;
    }
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) st = posix::ErrnoStatus(errno, "cannot close", temp_os_path_);
    if (st.ok() && ::rename(temp_os_path_.c_str(), os_path_.c_str()) != 0) {
      st = posix::ErrnoStatus(errno, "cannot publish (rename) to", os_path_);
    }
    if (!st.ok()) {
      Abort().IgnoreError();
      return st;
    }
    done_ = true;
    // The file is visible now; syncing the directory makes the new name survive a power loss.
    return posix::SyncDirectory(dir_os_path_);
  }

  Status Abort() override {
    if (done_) return Status::OK();
    done_ = true;
    buffer_.clear();
    buffer_.shrink_to_fit();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (::unlink(temp_os_path_.c_str()) != 0 && errno != ENOENT) {
      return posix::ErrnoStatus(errno, "cannot remove temporary file", temp_os_path_);
    }
    return Status::OK();
  }

 private:
  Status Flush() {
    if (buffer_.empty()) return Status::OK();
    Status st = posix::WriteFully(fd_, buffer_, temp_os_path_);
    if (st.ok()) Written(buffer_.size());
    buffer_.clear();
    return st;
  }

  // Starts the writeback of what was written since the last start, once there is enough of it.
  // Only a hint (its errors are fsync's to report): Close still syncs everything.
  void Written(uint64_t bytes) {
    on_disk_ += bytes;
    if (on_disk_ - writeback_from_ < kWritebackBytes) return;
    ::sync_file_range(fd_, static_cast<off_t>(writeback_from_),
                      static_cast<off_t>(on_disk_ - writeback_from_), SYNC_FILE_RANGE_WRITE);
    writeback_from_ = on_disk_;
  }

  Status Finished() const {
    return Status::InvalidArgument("'" + os_path_ + "' was already closed or aborted");
  }

  uint64_t on_disk_ = 0;         // bytes written to the descriptor
  uint64_t writeback_from_ = 0;  // where the writeback not yet started begins
  std::string key_;
  std::string os_path_;
  std::string dir_os_path_;
  std::string temp_os_path_;
  int fd_;
  std::string buffer_;
  uint64_t bytes_written_ = 0;
  bool done_ = false;
};

}  // namespace

Result<std::unique_ptr<RandomAccessFile>> OpenReadable(std::string key, std::string os_path) {
  int fd = ::open(os_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return posix::ErrnoStatus(errno, "cannot open", os_path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status s = posix::ErrnoStatus(errno, "cannot stat", os_path);
    ::close(fd);
    return s;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(
        "cannot open '" + os_path +
        "' for reading: " + (S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file"));
  }
  return std::unique_ptr<RandomAccessFile>(std::make_unique<LocalRandomAccessFile>(
      std::move(key), std::move(os_path), fd, static_cast<uint64_t>(st.st_size)));
}

Result<std::unique_ptr<WritableFile>> OpenWritable(std::string key, std::string os_path,
                                                   std::string dir_os_path) {
  std::string temp_os_path;
  int fd = -1;
  // O_EXCL with a fresh random name: a collision (vanishingly rare) simply draws again.
  for (int attempt = 0; attempt < 8 && fd < 0; ++attempt) {
    temp_os_path = dir_os_path;
    if (temp_os_path.back() != '/') temp_os_path.push_back('/');
    temp_os_path += MakeTemporaryName(BaseName(os_path));
    fd = ::open(temp_os_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) return posix::ErrnoStatus(errno, "cannot create", temp_os_path);
  }
  if (fd < 0) return Status::IOError("cannot create a temporary file in '" + dir_os_path + "'");
  return std::unique_ptr<WritableFile>(std::make_unique<LocalWritableFile>(
      std::move(key), std::move(os_path), std::move(dir_os_path), std::move(temp_os_path), fd));
}

}  // namespace saleslake::io::local
