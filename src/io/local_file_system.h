// LocalFileSystem: a directory on local disk as a FileSystem.
//
// Writes go to a temporary file in the target's own directory (".tmp-<random>-<name>", see
// io/path.h), buffered; Close() flushes, fsyncs the file, renames it over the target and fsyncs the
// directory. rename(2) is atomic, so a reader opens either the old file or the new one, whole, and
// an open reader keeps the inode it opened. A crash (or kill -9) before the rename leaves only the
// temporary file: no engine reads it and List hides it unless ListOptions::include_temporaries.
//
// Every method is thread-safe; RandomAccessFile::ReadAt uses pread and may be called from several
// threads at once. A WritableFile is used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"

namespace saleslake::io {

class LocalFileSystem final : public FileSystem {
 public:
  // `root` is an absolute directory path ("/data/lake"); it need not exist yet (the first write
  // creates it). A relative path is refused: resolve it first (FileSystemFromUri does).
  static Result<std::shared_ptr<LocalFileSystem>> Make(std::string_view root);

  std::string_view scheme() const override { return "file"; }
  std::string root_uri() const override { return "file://" + root_; }
  const std::string& root() const { return root_; }
  // The operating-system path of a normalised key: the root joined with the key.
  std::string OsPath(std::string_view key) const;

  Result<FileInfo> GetFileInfo(std::string_view path) override;
  Result<std::vector<FileInfo>> List(std::string_view prefix,
                                     const ListOptions& options = {}) override;
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(std::string_view path) override;
  Result<std::unique_ptr<WritableFile>> OpenForWrite(std::string_view path) override;
  Status Delete(std::string_view path) override;
  Status DeleteMany(const std::vector<std::string>& paths) override;
  Status Move(std::string_view from, std::string_view to) override;
  Status CreateDir(std::string_view path) override;

 private:
  explicit LocalFileSystem(std::string root) : root_(std::move(root)) {}
  // Deletes one normalised key without syncing its directory.
  Status DeleteUnsynced(const std::string& key);

  std::string root_;  // absolute, no trailing '/' (except "/" itself)
};

}  // namespace saleslake::io
