// Codec: one interface over the block compressors Parquet pages use (snappy, zstd, gzip, lz4).
//
// Decompression is always told the exact uncompressed size (Parquet page headers carry it) and
// never writes more: a stream that would expand past the declared size is Corruption, so a small
// hostile page cannot become a huge allocation ("decompression bomb"). A Codec holds library
// contexts that are reused between calls; use one Codec per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::compress {

// The values are those of parquet-format's CompressionCodec, so the Parquet layer can map a
// footer's codec number after checking its range with CodecTypeFromParquet.
enum class CodecType : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,     // not supported (no writer we know of uses it)
  kBrotli = 4,  // not supported
  // Parquet's deprecated "LZ4": Hadoop's length-prefixed LZ4 blocks, or, from older writers, an
  // LZ4 frame or a bare LZ4 block. Decompression accepts all three; compression writes Hadoop's.
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,  // one bare LZ4 block (the current Parquet LZ4 codec)
};

// "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW" (Parquet's names).
std::string_view CodecTypeName(CodecType type);

// Maps a Parquet CompressionCodec number; unknown numbers are Corruption (they come from files).
Result<CodecType> CodecTypeFromParquet(int32_t value);

// Parses a user's codec name, case-insensitive: "none"/"uncompressed", "snappy", "gzip", "zstd",
// "lz4_raw", "lz4". Unknown names are InvalidArgument listing the valid ones.
Result<CodecType> CodecTypeFromName(std::string_view name);

struct CodecOptions {
  // Compression level; kDefaultLevel picks the codec's usual default (zstd 3, gzip 6).
  static constexpr int kDefaultLevel = -1000;
  int level = kDefaultLevel;
};

class Codec {
 public:
  virtual ~Codec() = default;

  virtual CodecType type() const = 0;

  // Appends the compressed form of `input` to `*out` (existing bytes are kept, so a caller can
  // reuse one buffer).
  virtual Status Compress(std::string_view input, std::string* out) = 0;
  // Compresses `input` into the start of `*scratch` and returns those bytes. The scratch buffer
  // keeps its size (grown when too small), so one reused page after page is not zeroed again for
  // each page; the bytes are those of Compress.
  virtual Result<std::string_view> CompressToScratch(std::string_view input, std::string* scratch);

  // Decompresses `input` into exactly `output_size` bytes at `output`. Fails with Corruption when
  // the input is malformed, decodes to fewer bytes, or would decode to more.
  virtual Status Decompress(std::string_view input, char* output, size_t output_size) = 0;

  // An upper bound of what `input` can decompress to, computed without decompressing (the size a
  // stream states, or the format's maximum ratio). A reader refuses a declared size above it
  // before allocating anything for it.
  virtual uint64_t MaxDecompressedSize(std::string_view input) const = 0;

  // Convenience: resizes `*out` to `output_size` and decompresses into it.
  Status Decompress(std::string_view input, size_t output_size, std::string* out);
};

// Creates a codec. LZO and BROTLI are NotSupported with a message naming the codec.
Result<std::unique_ptr<Codec>> MakeCodec(CodecType type, const CodecOptions& options = {});

}  // namespace saleslake::compress
