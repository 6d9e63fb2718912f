// Thin, Status-returning wrappers over the POSIX calls LocalFileSystem needs. Every error names the
// operating-system path it concerns, so a person can go and look at it.
#pragma once

#include <sys/stat.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::io::posix {

// Maps errno to a Status: ENOENT/ENOTDIR -> NotFound, EACCES/EPERM/EROFS -> PermissionDenied,
// ENOSPC/EDQUOT -> ResourceExhausted, anything else -> IOError. The message reads
// "<what> '<path>': <strerror>".
Status ErrnoStatus(int err, std::string_view what, std::string_view os_path);

// Writes all of `data` (retrying short writes and EINTR).
Status WriteFully(int fd, std::string_view data, std::string_view os_path);

// Reads exactly `length` bytes at `offset` into `out` (pread; safe from several threads).
Status PreadFully(int fd, uint64_t offset, uint64_t length, char* out, std::string_view os_path);

// fsync of a directory, so that the names created, renamed or removed in it survive a power loss.
Status SyncDirectory(const std::string& os_path);

// mkdir -p. Each directory it creates is made durable by syncing its parent.
Status CreateDirectories(const std::string& os_path);

// stat(2); a missing path gives NotFound.
Status Stat(const std::string& os_path, struct stat* st);

int64_t MtimeMicros(const struct stat& st);

}  // namespace saleslake::io::posix
