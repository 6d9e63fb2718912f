// The parts of FileSystem built on its virtual operations, shared by every implementation.
#include "io/file_system.h"

#include <algorithm>

namespace saleslake::io {
namespace {

// Large enough to keep S3 requests few, small enough to bound a copy's memory.
constexpr uint64_t kCopyChunkBytes = 8 << 20;

}  // namespace

std::string_view FileTypeName(FileType type) {
  switch (type) {
    case FileType::kFile:
      return "file";
    case FileType::kDirectory:
      return "directory";
    case FileType::kNotFound:
      return "not found";
  }
  return "unknown";
}

Result<std::string> FileSystem::ReadFile(std::string_view path) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, OpenForRead(path));
  std::string out;
  SL_RETURN_IF_ERROR(file->ReadAt(0, file->Size(), &out));
  return out;
}

Status FileSystem::WriteFile(std::string_view path, std::string_view data) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, OpenForWrite(path));
  Status st = file->Append(data);
  if (!st.ok()) {
    file->Abort().IgnoreError();
    return st;
  }
  return file->Close();
}

Status CopyFile(FileSystem& from_fs, std::string_view from, FileSystem& to_fs,
                std::string_view to) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> in, from_fs.OpenForRead(from));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> out, to_fs.OpenForWrite(to));
  std::string chunk;
  const uint64_t size = in->Size();
  for (uint64_t offset = 0; offset < size;) {
    uint64_t n = std::min(kCopyChunkBytes, size - offset);
    Status st = in->ReadAt(offset, n, &chunk);
    if (st.ok()) st = out->Append(chunk);
    if (!st.ok()) {
      out->Abort().IgnoreError();
      return st;
    }
    offset += n;
  }
  return out->Close();
}

}  // namespace saleslake::io
