// GZIP: RFC 1952 members (zlib-wrapped streams are accepted too). Several concatenated members
// are one page: some writers (Hadoop's gzip streams) flush a member per buffer.
#include <zlib.h>

#include <climits>
#include <cstring>
#include <string>

#include "compress/codec_internal.h"

namespace saleslake::compress::internal {
namespace {

constexpr int kDefaultGzipLevel = 6;            // zlib's default
constexpr int kGzipWindowBits = 15 + 16;        // 32 KiB window, gzip wrapper
constexpr int kAutoDetectWindowBits = 15 + 32;  // accept gzip or zlib wrappers

// Deflate's best case is 258 bytes from about 2 bits: a ratio just over 1032.
constexpr uint64_t kDeflateMaxRatio = 1033;
// zlib counts in uInt; feed it at most this much per call.
constexpr size_t kMaxChunk = UINT_MAX / 2;

class GzipCodec final : public Codec {
 public:
  explicit GzipCodec(int level) : level_(level) {}
  ~GzipCodec() override {
    if (inflate_ready_) inflateEnd(&inflate_);
  }
  GzipCodec(const GzipCodec&) = delete;
  GzipCodec& operator=(const GzipCodec&) = delete;

  CodecType type() const override { return CodecType::kGzip; }

  Status Compress(std::string_view input, std::string* out) override {
    z_stream s;
    std::memset(&s, 0, sizeof(s));
    if (deflateInit2(&s, level_, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Status::Internal("GZIP: deflateInit2 failed");
    }
    const size_t old_size = out->size();
    out->resize(old_size + deflateBound(&s, static_cast<uLong>(input.size())));
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    s.next_out = reinterpret_cast<Bytef*>(out->data() + old_size);
    size_t in_left = input.size();
    size_t out_left = out->size() - old_size;
    int ret = Z_OK;
    while (ret == Z_OK) {
      size_t in_chunk = in_left < kMaxChunk ? in_left : kMaxChunk;
      size_t out_chunk = out_left < kMaxChunk ? out_left : kMaxChunk;
      s.avail_in = static_cast<uInt>(in_chunk);
      s.avail_out = static_cast<uInt>(out_chunk);
      ret = deflate(&s, in_left == in_chunk ? Z_FINISH : Z_NO_FLUSH);
      in_left -= in_chunk - s.avail_in;
      out_left -= out_chunk - s.avail_out;
    }
    deflateEnd(&s);
    if (ret != Z_STREAM_END) {
      out->resize(old_size);
      return Status::Internal("GZIP compression failed (" + std::to_string(ret) + ")");
    }
    out->resize(out->size() - out_left);
    return Status::OK();
  }

  Status Decompress(std::string_view input, char* output, size_t output_size) override {
    if (input.size() > kMaxChunk || output_size > kMaxChunk) {
      return Status::ResourceExhausted("GZIP: a page larger than 2 GiB is not supported");
    }
    SL_RETURN_IF_ERROR(ResetInflate());
    inflate_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    inflate_.avail_in = static_cast<uInt>(input.size());
    inflate_.next_out = reinterpret_cast<Bytef*>(output);
    // zlib never writes beyond avail_out, which is the declared size: that is the bomb guard.
    inflate_.avail_out = static_cast<uInt>(output_size);
    for (;;) {
      int ret = inflate(&inflate_, Z_NO_FLUSH);
      if (ret == Z_STREAM_END) {
        if (inflate_.avail_in == 0) break;
        // Another member follows; anything else after a member is garbage.
        if (inflate_.avail_in < 2 || inflate_.next_in[0] != 0x1f || inflate_.next_in[1] != 0x8b) {
          return CodecCorruption(type(), "unexpected bytes after the end of the gzip stream");
        }
        if (inflateReset(&inflate_) != Z_OK) return CodecCorruption(type(), "inflateReset");
        continue;
      }
      if (ret == Z_OK) continue;  // progress was made
      if (ret == Z_BUF_ERROR) {
        if (inflate_.avail_out == 0) {
          return CodecCorruption(type(), "the stream decodes to more than the declared " +
                                             std::to_string(output_size) + " bytes");
        }
        return CodecCorruption(type(), "the compressed stream is truncated");
      }
      return CodecCorruption(type(), inflate_.msg != nullptr ? inflate_.msg : "malformed stream");
    }
    size_t produced = output_size - inflate_.avail_out;
    if (produced != output_size) {
      return CodecCorruption(type(), "the stream decodes to " + std::to_string(produced) +
                                         " bytes, but " + std::to_string(output_size) +
                                         " were declared");
    }
    return Status::OK();
  }

  uint64_t MaxDecompressedSize(std::string_view input) const override {
    return input.size() * kDeflateMaxRatio;
  }

 private:
  Status ResetInflate() {
    if (!inflate_ready_) {
      std::memset(&inflate_, 0, sizeof(inflate_));
      if (inflateInit2(&inflate_, kAutoDetectWindowBits) != Z_OK) {
        return Status::ResourceExhausted("GZIP: inflateInit2 failed");
      }
      inflate_ready_ = true;
      return Status::OK();
    }
    if (inflateReset(&inflate_) != Z_OK) return Status::Internal("GZIP: inflateReset failed");
    return Status::OK();
  }

  int level_;
  z_stream inflate_;
  bool inflate_ready_ = false;
};

}  // namespace

Result<std::unique_ptr<Codec>> MakeGzipCodec(int level) {
  if (level == CodecOptions::kDefaultLevel) level = kDefaultGzipLevel;
  if (level < 0 || level > 9) {
    return Status::InvalidArgument("gzip level " + std::to_string(level) + " is out of range 0..9");
  }
  return std::unique_ptr<Codec>(new GzipCodec(level));
}

}  // namespace saleslake::compress::internal
