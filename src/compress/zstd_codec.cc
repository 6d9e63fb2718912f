// ZSTD: one or more zstd frames. Contexts are kept for the codec's lifetime (creating one per
// page costs more than compressing a small page).
#include <zstd.h>
#include <zstd_errors.h>

#include <string>

#include "compress/codec_internal.h"

namespace saleslake::compress::internal {
namespace {

constexpr int kDefaultZstdLevel = 3;  // zstd's own default, and what other Parquet writers use
// A zstd block decodes to at most 128 KiB and takes at least 4 bytes (an RLE block).
constexpr uint64_t kZstdMaxRatio = (128 * 1024) / 4;

class ZstdCodec final : public Codec {
 public:
  explicit ZstdCodec(int level) : level_(level) {}
  ~ZstdCodec() override {
    ZSTD_freeCCtx(cctx_);
    ZSTD_freeDCtx(dctx_);
  }
  ZstdCodec(const ZstdCodec&) = delete;
  ZstdCodec& operator=(const ZstdCodec&) = delete;

  CodecType type() const override { return CodecType::kZstd; }

  Status Compress(std::string_view input, std::string* out) override {
    if (cctx_ == nullptr && (cctx_ = ZSTD_createCCtx()) == nullptr) {
      return Status::ResourceExhausted("ZSTD: cannot create a compression context");
    }
    const size_t old_size = out->size();
    out->resize(old_size + ZSTD_compressBound(input.size()));
    size_t n = ZSTD_compressCCtx(cctx_, out->data() + old_size, out->size() - old_size,
                                 input.data(), input.size(), level_);
    if (ZSTD_isError(n)) {
      out->resize(old_size);
      return Status::Internal(std::string("ZSTD compression failed: ") + ZSTD_getErrorName(n));
    }
    out->resize(old_size + n);
    return Status::OK();
  }

  Status Decompress(std::string_view input, char* output, size_t output_size) override {
    if (dctx_ == nullptr && (dctx_ = ZSTD_createDCtx()) == nullptr) {
      return Status::ResourceExhausted("ZSTD: cannot create a decompression context");
    }
    // zstd writes at most `output_size` bytes and reports dstSize_tooSmall beyond that.
    size_t n = ZSTD_decompressDCtx(dctx_, output, output_size, input.data(), input.size());
    if (ZSTD_isError(n)) {
      if (ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall) {
        return CodecCorruption(type(), "the stream decodes to more than the declared " +
                                           std::to_string(output_size) + " bytes");
      }
      return CodecCorruption(type(), ZSTD_getErrorName(n));
    }
    if (n != output_size) {
      return CodecCorruption(type(), "the stream decodes to " + std::to_string(n) + " bytes, but " +
                                         std::to_string(output_size) + " were declared");
    }
    return Status::OK();
  }

  // The sum of the frames' stated content sizes; streams without them get the format's ratio.
  uint64_t MaxDecompressedSize(std::string_view input) const override {
    uint64_t total = 0;
    std::string_view rest = input;
    while (!rest.empty()) {
      const unsigned long long content = ZSTD_getFrameContentSize(rest.data(), rest.size());
      const size_t frame = ZSTD_findFrameCompressedSize(rest.data(), rest.size());
      if (content == ZSTD_CONTENTSIZE_ERROR || ZSTD_isError(frame) || frame == 0) return 0;
      if (content == ZSTD_CONTENTSIZE_UNKNOWN) return input.size() * kZstdMaxRatio;
      total += content;
      rest.remove_prefix(frame);
    }
    return total;
  }

 private:
  int level_;
  ZSTD_CCtx* cctx_ = nullptr;
  ZSTD_DCtx* dctx_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<Codec>> MakeZstdCodec(int level) {
  if (level == CodecOptions::kDefaultLevel) level = kDefaultZstdLevel;
  if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
    return Status::InvalidArgument("zstd level " + std::to_string(level) + " is out of range " +
                                   std::to_string(ZSTD_minCLevel()) + ".." +
                                   std::to_string(ZSTD_maxCLevel()));
  }
  return std::unique_ptr<Codec>(new ZstdCodec(level));
}

}  // namespace saleslake::compress::internal
