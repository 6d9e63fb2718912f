// Factories for each codec implementation (one file per library), used by MakeCodec.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "compress/codec.h"

namespace saleslake::compress::internal {

std::unique_ptr<Codec> MakeSnappyCodec();
Result<std::unique_ptr<Codec>> MakeZstdCodec(int level);
Result<std::unique_ptr<Codec>> MakeGzipCodec(int level);
std::unique_ptr<Codec> MakeLz4RawCodec();
std::unique_ptr<Codec> MakeLz4LegacyCodec();

// "<codec>: <what>" as a Corruption status, the one shape of decompression errors.
Status CodecCorruption(CodecType type, std::string_view what);

// The bare-block LZ4 decoder shared by LZ4_RAW and the legacy framings: returns the number of
// bytes written, or an error when the block is malformed or does not fit in `capacity`.
Result<size_t> DecompressLz4Block(std::string_view input, char* output, size_t capacity);

}  // namespace saleslake::compress::internal
