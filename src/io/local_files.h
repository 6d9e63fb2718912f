// The RandomAccessFile and WritableFile of LocalFileSystem (internal to io).
#pragma once

#include <memory>
#include <string>

#include "io/file_system.h"

namespace saleslake::io::local {

// Opens `os_path` for ranged reads; `key` is the path reported to callers.
Result<std::unique_ptr<RandomAccessFile>> OpenReadable(std::string key, std::string os_path);

// Starts an atomic write of `os_path` (whose directory `dir_os_path` must exist) through a fresh
// temporary file beside it.
Result<std::unique_ptr<WritableFile>> OpenWritable(std::string key, std::string os_path,
                                                   std::string dir_os_path);

}  // namespace saleslake::io::local
