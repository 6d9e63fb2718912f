#include "compress/codec.h"

#include <cctype>
#include <cstring>
#include <string>

#include "base/strings.h"
#include "compress/codec_internal.h"

namespace saleslake::compress {
namespace {

class UncompressedCodec final : public Codec {
 public:
  CodecType type() const override { return CodecType::kUncompressed; }
  Status Compress(std::string_view input, std::string* out) override {
    out->append(input);
    return Status::OK();
  }
  Status Decompress(std::string_view input, char* output, size_t output_size) override {
    if (input.size() != output_size) {
      return internal::CodecCorruption(type(), "stored size " + std::to_string(input.size()) +
                                                   " differs from the declared uncompressed size " +
                                                   std::to_string(output_size));
    }
    if (output_size > 0) std::memcpy(output, input.data(), output_size);
    return Status::OK();
  }
  uint64_t MaxDecompressedSize(std::string_view input) const override { return input.size(); }
};

}  // namespace

namespace internal {
Status CodecCorruption(CodecType type, std::string_view what) {
  std::string msg(CodecTypeName(type));
  msg += " decompression failed: ";
  msg += what;
  return Status::Corruption(std::move(msg));
}
}  // namespace internal

Result<std::string_view> Codec::CompressToScratch(std::string_view input, std::string* scratch) {
  scratch->clear();
  SL_RETURN_IF_ERROR(Compress(input, scratch));
  return std::string_view(*scratch);
}

Status Codec::Decompress(std::string_view input, size_t output_size, std::string* out) {
  if (output_size > MaxDecompressedSize(input)) {
    return internal::CodecCorruption(
        type(), "the declared " + std::to_string(output_size) + " bytes are more than " +
                    std::to_string(input.size()) + " compressed bytes can hold");
  }
  out->resize(output_size);
  return Decompress(input, out->data(), output_size);
}

std::string_view CodecTypeName(CodecType type) {
  switch (type) {
    case CodecType::kUncompressed:
      return "UNCOMPRESSED";
    case CodecType::kSnappy:
      return "SNAPPY";
    case CodecType::kGzip:
      return "GZIP";
    case CodecType::kLzo:
      return "LZO";
    case CodecType::kBrotli:
      return "BROTLI";
    case CodecType::kLz4:
      return "LZ4";
    case CodecType::kZstd:
      return "ZSTD";
    case CodecType::kLz4Raw:
      return "LZ4_RAW";
  }
  return "UNKNOWN";
}

Result<CodecType> CodecTypeFromParquet(int32_t value) {
  if (value < 0 || value > static_cast<int32_t>(CodecType::kLz4Raw)) {
    return Status::Corruption("unknown compression codec number " + std::to_string(value));
  }
  return static_cast<CodecType>(value);
}

Result<CodecType> CodecTypeFromName(std::string_view name) {
  const std::string lower = Lower(name);
  if (lower == "none" || lower == "uncompressed") return CodecType::kUncompressed;
  if (lower == "snappy") return CodecType::kSnappy;
  if (lower == "gzip") return CodecType::kGzip;
  if (lower == "zstd") return CodecType::kZstd;
  if (lower == "lz4_raw" || lower == "lz4raw") return CodecType::kLz4Raw;
  if (lower == "lz4") return CodecType::kLz4;
  return Status::InvalidArgument("unknown compression '" + std::string(name) +
                                 "' (use none, snappy, zstd, gzip, lz4_raw or lz4)");
}

Result<std::unique_ptr<Codec>> MakeCodec(CodecType type, const CodecOptions& options) {
  switch (type) {
    case CodecType::kUncompressed:
      return std::unique_ptr<Codec>(new UncompressedCodec());
    case CodecType::kSnappy:
      return internal::MakeSnappyCodec();
    case CodecType::kGzip:
      return internal::MakeGzipCodec(options.level);
    case CodecType::kZstd:
      return internal::MakeZstdCodec(options.level);
    case CodecType::kLz4Raw:
      return internal::MakeLz4RawCodec();
    case CodecType::kLz4:
      return internal::MakeLz4LegacyCodec();
    case CodecType::kLzo:
    case CodecType::kBrotli:
      return Status::NotSupported("compression codec " + std::string(CodecTypeName(type)) +
                                  " is not supported (supported: UNCOMPRESSED, SNAPPY, GZIP, "
                                  "ZSTD, LZ4_RAW, LZ4)");
  }
  return Status::NotSupported("unknown compression codec");
}

}  // namespace saleslake::compress
