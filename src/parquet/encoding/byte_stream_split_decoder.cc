#include "parquet/encoding/byte_stream_split_decoder.h"

#include <string>

namespace saleslake::parquet {

Status DecodeByteStreamSplit(std::string_view data, size_t count, size_t width, uint8_t* out) {
  if (width == 0) return Status::Corruption("BYTE_STREAM_SPLIT with a value width of 0");
  const uint64_t bytes = static_cast<uint64_t>(count) * width;
  if (bytes != data.size()) {
    return Status::Corruption("BYTE_STREAM_SPLIT: " + std::to_string(count) + " values of " +
                              std::to_string(width) + " bytes need " + std::to_string(bytes) +
                              " bytes, the page has " + std::to_string(data.size()));
  }
  const auto* in = reinterpret_cast<const uint8_t*>(data.data());
  for (size_t k = 0; k < width; ++k) {
    const uint8_t* stream = in + k * count;
    for (size_t i = 0; i < count; ++i) out[i * width + k] = stream[i];
  }
  return Status::OK();
}

}  // namespace saleslake::parquet
