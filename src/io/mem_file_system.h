// MemFileSystem: an in-memory FileSystem for tests, with the same semantics as the local one.
//
// A write is buffered in its WritableFile and published whole by Close() under the store's lock;
// readers hold a reference to the bytes they opened, so a replaced file never changes under them.
// Directories exist as on disk: created for a file's parents or by CreateDir, removed only when
// deleted while empty. Thread-safe.
//
// Stores are either private (Make) or process-wide by name (Named, and FileSystemFromUri for
// "mem://name/prefix"): the same name is the same store for the life of the process, so a test can
// open a lake by URI twice and see one lake.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"

namespace saleslake::io {

struct MemStore;

class MemFileSystem final : public FileSystem {
 public:
  // A new, empty store of its own.
  static std::shared_ptr<MemFileSystem> Make();
  // The process-wide store called `name` (created on first use), seen under the directory
  // `prefix` ("" is the whole store). `prefix` must be a valid path.
  static Result<std::shared_ptr<MemFileSystem>> Named(std::string_view name,
                                                      std::string_view prefix = "");
  // Forgets the named store; its memory goes when the last file system using it is dropped.
  static void ForgetNamed(std::string_view name);

  ~MemFileSystem() override;

  std::string_view scheme() const override { return "mem"; }
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

 private:
  MemFileSystem(std::shared_ptr<MemStore> store, std::string name, std::string prefix);
  // The store's key for a normalised path of this view.
  std::string StoreKey(std::string_view key) const;
  // This view's path for a store key inside prefix_.
  std::string ViewPath(std::string_view store_key) const;

  std::shared_ptr<MemStore> store_;
  std::string name_;    // "" for a private store
  std::string prefix_;  // normalised; "" is the store's root
};

}  // namespace saleslake::io
