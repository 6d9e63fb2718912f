#include "io/posix_util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

namespace saleslake::io::posix {

Status ErrnoStatus(int err, std::string_view what, std::string_view os_path) {
  std::string msg(what);
  msg += " '";
  msg.append(os_path);
  msg += "': ";
  msg += strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return Status::NotFound(std::move(msg));
    case EACCES:
    case EPERM:
    case EROFS:
      return Status::PermissionDenied(std::move(msg));
    case ENOSPC:
    case EDQUOT:
      return Status::ResourceExhausted(std::move(msg));
    default:
      return Status::IOError(std::move(msg));
  }
}

Status WriteFully(int fd, std::string_view data, std::string_view os_path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "cannot write", os_path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status PreadFully(int fd, uint64_t offset, uint64_t length, char* out, std::string_view os_path) {
  while (length > 0) {
    ssize_t n = ::pread(fd, out, length, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "cannot read", os_path);
    }
    if (n == 0) {
      return Status::IOError("cannot read '" + std::string(os_path) +
                             "': unexpected end of file at offset " + std::to_string(offset));
    }
    out += n;
    offset += static_cast<uint64_t>(n);
    length -= static_cast<uint64_t>(n);
  }
  return Status::OK();
}

Status SyncDirectory(const std::string& os_path) {
  int fd = ::open(os_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open directory", os_path);
  Status st;
  if (::fsync(fd) != 0) st = ErrnoStatus(errno, "cannot sync directory", os_path);
  ::close(fd);
  return st;
}

Status CreateDirectories(const std::string& os_path) {
  if (os_path.empty() || os_path == "/") return Status::OK();
  if (::mkdir(os_path.c_str(), 0777) == 0) {
    size_t slash = os_path.rfind('/');
    return SyncDirectory(slash == 0 ? "/" : os_path.substr(0, slash));
  }
  int err = errno;
  if (err == EEXIST) {
    struct stat st;
    if (::stat(os_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::OK();
    return Status::AlreadyExists("cannot create directory '" + os_path +
                                 "': a file with that name exists");
  }
  if (err != ENOENT) return ErrnoStatus(err, "cannot create directory", os_path);
  size_t slash = os_path.rfind('/');
  if (slash == std::string::npos || slash == 0)
    return ErrnoStatus(err, "cannot create directory", os_path);
  SL_RETURN_IF_ERROR(CreateDirectories(os_path.substr(0, slash)));
  if (::mkdir(os_path.c_str(), 0777) != 0 && errno != EEXIST) {
    return ErrnoStatus(errno, "cannot create directory", os_path);
  }
  return SyncDirectory(os_path.substr(0, slash));
}

Status Stat(const std::string& os_path, struct stat* st) {
  if (::stat(os_path.c_str(), st) != 0) return ErrnoStatus(errno, "cannot stat", os_path);
  return Status::OK();
}

int64_t MtimeMicros(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000 + st.st_mtim.tv_nsec / 1000;
}

}  // namespace saleslake::io::posix
