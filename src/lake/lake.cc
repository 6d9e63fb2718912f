#include "lake/lake.h"

#include "io/file_system.h"

namespace saleslake::lake {

Result<std::shared_ptr<Lake>> Lake::Open(std::string_view uri) {
  SL_ASSIGN_OR_RETURN(io::ParsedUri location, io::ParseUri(uri));
  SL_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> fs, io::FileSystemFromUri(uri));
  return std::shared_ptr<Lake>(new Lake(std::string(uri), std::move(location), std::move(fs)));
}

std::shared_ptr<Lake> Lake::OnFileSystem(std::shared_ptr<io::FileSystem> fs) {
  std::string uri = fs->root_uri();
  // A file system's own root URI always parses; a wrapper's odd one (tests) leaves the scheme.
  io::ParsedUri location;
  if (Result<io::ParsedUri> parsed = io::ParseUri(uri); parsed.ok()) {
    location = std::move(*parsed);
  } else {
    location.scheme = std::string(fs->scheme());
  }
  return std::shared_ptr<Lake>(new Lake(std::move(uri), std::move(location), std::move(fs)));
}

Result<std::unique_ptr<Ledger>> Lake::OpenLog(bool writer) const {
  return Ledger::Open(fs_, /*recover=*/writer);
}

Result<std::unique_ptr<LakeLock>> Lake::Lock(std::string_view purpose) const {
  return LakeLock::Acquire(fs_, purpose);
}

}  // namespace saleslake::lake
