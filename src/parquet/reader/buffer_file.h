// BufferFile: a RandomAccessFile over bytes in memory (tests, the fuzzer, and files already read
// whole).
#pragma once

#include <string>
#include <utility>

#include "io/file_system.h"

namespace saleslake::parquet {

class BufferFile final : public io::RandomAccessFile {
 public:
  BufferFile(std::string path, std::string data) : path_(std::move(path)), data_(std::move(data)) {}

  uint64_t Size() const override { return data_.size(); }
  Status ReadAt(uint64_t offset, uint64_t length, std::string* out) override {
    if (offset > data_.size() || length > data_.size() - offset) {
      return Status::IOError(path_ + ": read of " + std::to_string(length) + " bytes at offset " +
                             std::to_string(offset) + " is past the end (size " +
                             std::to_string(data_.size()) + ")");
    }
    out->assign(data_, offset, length);
    return Status::OK();
  }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::string data_;
};

}  // namespace saleslake::parquet
