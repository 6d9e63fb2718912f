// The LZ4 family. LZ4_RAW is one bare LZ4 block. The deprecated Parquet "LZ4" codec was written in
// three shapes over the years: Hadoop's framing (parquet-mr; blocks of
// [u32 BE uncompressed size][u32 BE compressed size][LZ4 block]), the LZ4 frame format, and a
// bare block (older parquet-cpp). Like other readers we try Hadoop's framing first and fall back;
// every attempt is bounded by the declared size, so a wrong guess cannot overrun.
#include <lz4.h>
#include <lz4frame.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>

#include "compress/codec_internal.h"

namespace saleslake::compress::internal {
namespace {

constexpr uint32_t kLz4FrameMagic = 0x184D2204;  // little-endian at the start of a frame
// Hadoop's decoders size their buffer from io.compression.codec.lz4.buffersize (256 KiB by
// default), so a block we write must not decode to more than that.
constexpr size_t kHadoopBlockSize = 256 * 1024;
constexpr size_t kHadoopHeaderSize = 8;
// An LZ4 match adds at most 255 bytes per input byte (long match lengths), plus a little.
constexpr uint64_t kLz4MaxRatio = 256;

uint32_t LoadBigEndian32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
}

void AppendBigEndian32(std::string* out, uint32_t v) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
               static_cast<char>(v)};
  out->append(b, 4);
}

// Appends one bare LZ4 block of `input`.
Status AppendLz4Block(std::string_view input, std::string* out) {
  if (input.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
    return Status::InvalidArgument("LZ4: input larger than LZ4_MAX_INPUT_SIZE");
  }
  const size_t old_size = out->size();
  const int bound = LZ4_compressBound(static_cast<int>(input.size()));
  out->resize(old_size + static_cast<size_t>(bound));
  int n = LZ4_compress_default(input.data(), out->data() + old_size, static_cast<int>(input.size()),
                               bound);
  if (n <= 0 && !input.empty()) {
    out->resize(old_size);
    return Status::Internal("LZ4 compression failed");
  }
  out->resize(old_size + static_cast<size_t>(n));
  return Status::OK();
}

Status CheckExactSize(CodecType type, size_t produced, size_t declared) {
  if (produced == declared) return Status::OK();
  return CodecCorruption(type, "the stream decodes to " + std::to_string(produced) +
                                   " bytes, but " + std::to_string(declared) + " were declared");
}

class Lz4RawCodec final : public Codec {
 public:
  CodecType type() const override { return CodecType::kLz4Raw; }
  Status Compress(std::string_view input, std::string* out) override {
    return AppendLz4Block(input, out);
  }
  Status Decompress(std::string_view input, char* output, size_t output_size) override {
    auto n = DecompressLz4Block(input, output, output_size);
    if (!n.ok()) return CodecCorruption(type(), n.status().message());
    return CheckExactSize(type(), *n, output_size);
  }
  uint64_t MaxDecompressedSize(std::string_view input) const override {
    return input.size() * kLz4MaxRatio + 64;
  }
};

// Hadoop framing; false when the input does not parse as it (the caller then tries the others).
bool TryDecompressHadoop(std::string_view input, char* output, size_t output_size) {
  size_t produced = 0;
  if (input.size() < kHadoopHeaderSize) return false;
  while (input.size() >= kHadoopHeaderSize) {
    const size_t block_size = LoadBigEndian32(input.data());
    const size_t compressed_size = LoadBigEndian32(input.data() + 4);
    input.remove_prefix(kHadoopHeaderSize);
    if (compressed_size > input.size() || block_size > output_size - produced) return false;
    auto n = DecompressLz4Block(input.substr(0, compressed_size), output + produced, block_size);
    if (!n.ok() || *n != block_size) return false;
    produced += block_size;
    input.remove_prefix(compressed_size);
  }
  return input.empty() && produced == output_size;
}

Status DecompressLz4Frame(std::string_view input, char* output, size_t output_size) {
  LZ4F_dctx* dctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) {
    return Status::ResourceExhausted("LZ4: cannot create a frame decompression context");
  }
  size_t produced = 0;
  Status status;
  while (!input.empty()) {
    size_t src_size = input.size();
    size_t dst_size = output_size - produced;
    size_t hint =
        LZ4F_decompress(dctx, output + produced, &dst_size, input.data(), &src_size, nullptr);
    if (LZ4F_isError(hint)) {
      status = CodecCorruption(CodecType::kLz4, LZ4F_getErrorName(hint));
      break;
    }
    input.remove_prefix(src_size);
    produced += dst_size;
    if (src_size == 0 && dst_size == 0) {
      status =
          CodecCorruption(CodecType::kLz4, produced == output_size
                                               ? "the frame decodes to more than the declared size"
                                               : "the frame is truncated");
      break;
    }
    if (hint != 0 && input.empty()) {
      status = CodecCorruption(CodecType::kLz4, "the frame is truncated");
    }
  }
  LZ4F_freeDecompressionContext(dctx);
  SL_RETURN_IF_ERROR(status);
  return CheckExactSize(CodecType::kLz4, produced, output_size);
}

class Lz4LegacyCodec final : public Codec {
 public:
  CodecType type() const override { return CodecType::kLz4; }

  // Writes Hadoop's framing, which every reader of this codec understands.
  Status Compress(std::string_view input, std::string* out) override {
    do {
      std::string_view block = input.substr(0, kHadoopBlockSize);
      input.remove_prefix(block.size());
      const size_t header_at = out->size();
      AppendBigEndian32(out, static_cast<uint32_t>(block.size()));
      AppendBigEndian32(out, 0);  // compressed size, patched below
      SL_RETURN_IF_ERROR(AppendLz4Block(block, out));
      const uint32_t compressed = static_cast<uint32_t>(out->size() - header_at - 8);
      std::string size_field;
      AppendBigEndian32(&size_field, compressed);
      out->replace(header_at + 4, 4, size_field);
    } while (!input.empty());
    return Status::OK();
  }

  Status Decompress(std::string_view input, char* output, size_t output_size) override {
    if (TryDecompressHadoop(input, output, output_size)) return Status::OK();
    if (input.size() >= 4) {
      uint32_t magic;
      std::memcpy(&magic, input.data(), 4);
      if (magic == kLz4FrameMagic) return DecompressLz4Frame(input, output, output_size);
    }
    auto n = DecompressLz4Block(input, output, output_size);
    if (!n.ok()) {
      return CodecCorruption(type(),
                             "the data is neither Hadoop-framed LZ4, an LZ4 frame, nor "
                             "an LZ4 block");
    }
    return CheckExactSize(type(), *n, output_size);
  }

  uint64_t MaxDecompressedSize(std::string_view input) const override {
    return input.size() * kLz4MaxRatio + 1024;  // frames and Hadoop blocks add headers only
  }
};

}  // namespace

Result<size_t> DecompressLz4Block(std::string_view input, char* output, size_t capacity) {
  if (input.size() > static_cast<size_t>(INT_MAX) || capacity > static_cast<size_t>(INT_MAX)) {
    return Status::ResourceExhausted("LZ4 blocks larger than 2 GiB are not supported");
  }
  // LZ4_decompress_safe never reads or writes outside the given bounds and fails instead.
  int n = LZ4_decompress_safe(input.data(), output, static_cast<int>(input.size()),
                              static_cast<int>(capacity));
  if (n < 0) return Status::Corruption("malformed LZ4 block (or it decodes to more than declared)");
  return static_cast<size_t>(n);
}

std::unique_ptr<Codec> MakeLz4RawCodec() { return std::make_unique<Lz4RawCodec>(); }
std::unique_ptr<Codec> MakeLz4LegacyCodec() { return std::make_unique<Lz4LegacyCodec>(); }

}  // namespace saleslake::compress::internal
