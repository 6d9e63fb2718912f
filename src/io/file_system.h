// FileSystem: the only way saleslake touches storage (local disk, memory, S3).
//
// Paths are '/'-separated keys relative to the file system's root (a lake root URI such as
// file:///data/lake or s3://bucket/prefix). "raw/sales/year=2026/month=11/day=26/batch-x.parquet"
// is the same key on every implementation. Leading '/' is ignored; "." and ".." are refused.
//
// Publication is atomic: a WritableFile's bytes become visible under its path only when Close()
// returns OK, and then whole (local: temp name + fsync + rename + fsync dir; S3: one PUT or a
// completed multipart upload). Abort() discards. A WritableFile destroyed without Close() aborts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace saleslake::io {

enum class FileType { kFile, kDirectory, kNotFound };

// "file", "directory", "not found".
std::string_view FileTypeName(FileType type);

struct FileInfo {
  std::string path;  // relative to the file system root
  FileType type = FileType::kNotFound;
  uint64_t size = 0;         // bytes, files only
  int64_t mtime_micros = 0;  // last modification, 0 if unknown
};

// Read side of a file: sized, with ranged reads (so readers work the same on S3).
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  virtual uint64_t Size() const = 0;
  // Reads exactly `length` bytes at `offset` into `out` (resized). Reading past the end is an
  // error that names the file, the offset and the size.
  virtual Status ReadAt(uint64_t offset, uint64_t length, std::string* out) = 0;
  virtual const std::string& path() const = 0;
};

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Publishes atomically. After Close (OK or not) the file accepts no more calls.
  virtual Status Close() = 0;
  // Discards everything written; nothing becomes visible. Idempotent.
  virtual Status Abort() = 0;
  virtual uint64_t BytesWritten() const = 0;
  virtual const std::string& path() const = 0;
};

struct ListOptions {
  bool recursive = true;
  // Include directories (local and mem know them; S3 reports common prefixes when not recursive).
  bool include_directories = false;
  // Also list the temporary files of unfinished writes (".tmp-<random>-<name>", see io/path.h).
  // They are hidden by default: after a crash they are invisible orphans, and `vacuum` lists them
  // with this flag to remove the old ones. A live write of another process looks the same, so
  // only remove orphans older than any write could take.
  bool include_temporaries = false;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // "file", "mem", "s3".
  virtual std::string_view scheme() const = 0;
  // The root URI, e.g. "file:///data/lake" or "s3://bucket/prefix".
  virtual std::string root_uri() const = 0;

  // Info for one path; a missing path is OK with type kNotFound (not an error).
  virtual Result<FileInfo> GetFileInfo(std::string_view path) = 0;
  // Files (and optionally directories) under `prefix` (a directory path; "" is the root), sorted by
  // path. A missing prefix gives an empty list.
  virtual Result<std::vector<FileInfo>> List(std::string_view prefix,
                                             const ListOptions& options = {}) = 0;
  virtual Result<std::unique_ptr<RandomAccessFile>> OpenForRead(std::string_view path) = 0;
  // Parent directories are created as needed. An existing file is replaced atomically on Close.
  virtual Result<std::unique_ptr<WritableFile>> OpenForWrite(std::string_view path) = 0;
  // Deleting a missing file is NotFound. An empty directory is removed (local, mem); a non-empty
  // one is an error.
  virtual Status Delete(std::string_view path) = 0;
  // Deletes every path; missing ones are ignored. Batched where the backend allows (S3: 1000).
  virtual Status DeleteMany(const std::vector<std::string>& paths) = 0;
  // Renames a file (replacing the target). Atomic locally; copy + delete on S3.
  virtual Status Move(std::string_view from, std::string_view to) = 0;
  virtual Status CreateDir(std::string_view path) = 0;

  // Convenience built on the above.
  Result<std::string> ReadFile(std::string_view path);
  Status WriteFile(std::string_view path, std::string_view data);
};

// file:///abs/path, a plain path ("./lake", "/data/lake"), s3://bucket/prefix, or mem://name
// (a process-wide named in-memory file system; the same name gives the same one).
Result<std::shared_ptr<FileSystem>> FileSystemFromUri(std::string_view uri);

// Streams `from` on `from_fs` into `to` on `to_fs` (which may be the same file system), publishing
// atomically; memory use is bounded by one chunk, whatever the file size.
Status CopyFile(FileSystem& from_fs, std::string_view from, FileSystem& to_fs, std::string_view to);

}  // namespace saleslake::io
