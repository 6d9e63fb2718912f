// SNAPPY: raw snappy blocks (no framing), as Parquet stores them.
#include <snappy.h>

#include <string>

#include "compress/codec_internal.h"

namespace saleslake::compress::internal {
namespace {

class SnappyCodec final : public Codec {
 public:
  CodecType type() const override { return CodecType::kSnappy; }

  Status Compress(std::string_view input, std::string* out) override {
    const size_t old_size = out->size();
    out->resize(old_size + snappy::MaxCompressedLength(input.size()));
    size_t written = 0;
    snappy::RawCompress(input.data(), input.size(), out->data() + old_size, &written);
    out->resize(old_size + written);
    return Status::OK();
  }

  Result<std::string_view> CompressToScratch(std::string_view input,
                                             std::string* scratch) override {
    const size_t room = snappy::MaxCompressedLength(input.size());
    if (scratch->size() < room) scratch->resize(room);
    size_t written = 0;
    snappy::RawCompress(input.data(), input.size(), scratch->data(), &written);
    return std::string_view(scratch->data(), written);
  }

  Status Decompress(std::string_view input, char* output, size_t output_size) override {
    // The stream starts with its own length; checking it first means snappy never writes past
    // the caller's buffer, whatever the stream claims.
    size_t stated = 0;
    if (!snappy::GetUncompressedLength(input.data(), input.size(), &stated)) {
      return CodecCorruption(type(), "the stream's length header is malformed");
    }
    if (stated != output_size) {
      return CodecCorruption(type(), "the stream decodes to " + std::to_string(stated) +
                                         " bytes, but " + std::to_string(output_size) +
                                         " were declared");
    }
    if (!snappy::RawUncompress(input.data(), input.size(), output)) {
      return CodecCorruption(type(), "the compressed stream is malformed");
    }
    return Status::OK();
  }

  uint64_t MaxDecompressedSize(std::string_view input) const override {
    size_t stated = 0;
    return snappy::GetUncompressedLength(input.data(), input.size(), &stated) ? stated : 0;
  }
};

}  // namespace

std::unique_ptr<Codec> MakeSnappyCodec() { return std::make_unique<SnappyCodec>(); }

}  // namespace saleslake::compress::internal
