// Test helpers for the writer: a WritableFile into a string, and a small independent page walker
// that decodes what the writer wrote (footer, page headers, CRCs, levels, values) using only the
// metadata codec, the compressors and the decoders — not the reader — so writer tests do not
// depend on the reader being right.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "parquet/metadata.h"

namespace saleslake::parquet::testing {

class StringFile final : public io::WritableFile {
 public:
  explicit StringFile(std::string* out) : out_(out) {}
  Status Append(std::string_view data) override {
    if (closed_ || aborted_) return Status::Internal("append after close");
    buffer_.append(data);
    return Status::OK();
  }
  Status Close() override {
    if (closed_ || aborted_) return Status::Internal("close after close");
    closed_ = true;
    *out_ = std::move(buffer_);
    return Status::OK();
  }
  Status Abort() override {
    aborted_ = true;
    return Status::OK();
  }
  uint64_t BytesWritten() const override { return buffer_.size(); }
  const std::string& path() const override { return path_; }

 private:
  std::string* out_;
  std::string buffer_;
  std::string path_ = "mem-test.parquet";
  bool closed_ = false;
  bool aborted_ = false;
};

// One decoded value: null, an integer (booleans and all integer types), a double, or bytes.
struct TestValue {
  enum Kind { kNull, kInt, kDouble, kBytes } kind = kNull;
  int64_t i = 0;
  double d = 0;
  std::string bytes;
  bool operator==(const TestValue&) const = default;
};

struct DecodedPage {
  PageHeader header;
  int64_t offset = 0;  // of the header
  int64_t size = 0;    // header + stored bytes
};

struct DecodedChunk {
  std::vector<DecodedPage> pages;  // dictionary page first, if any
  std::vector<TestValue> values;   // one per row
};

// Parses the footer of a whole file.
Status ReadFooter(const std::string& file, FileMetaData* out);
// Walks and decodes one column chunk; checks every page's CRC when present.
Status DecodeChunk(const std::string& file, const FileMetaData& meta, int row_group, int column,
                   DecodedChunk* out);

}  // namespace saleslake::parquet::testing
