#include "parquet/encoding/rle_decoder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "parquet/encoding/bit_unpack.h"

namespace saleslake::parquet {

void RleBitPackedDecoder::Reset(std::string_view data, int width) {
  data_ = data;
  width_ = width;
  pos_ = 0;
  run_is_rle_ = false;
  run_left_ = 0;
  rle_value_ = 0;
  packed_bit_ = 0;
}

Status RleBitPackedDecoder::NextRun() {
  if (width_ < 0 || width_ > 32) {
    return Status::Corruption("RLE/bit-packed bit width " + std::to_string(width_) +
                              " is out of range 0..32");
  }
  uint64_t header;
  if (!ReadUleb128(data_, &pos_, &header, 5)) {
    return Status::Corruption("RLE/bit-packed stream ended before all values were read");
  }
  if (header & 1) {
    // Bit-packed: (header >> 1) groups of 8 values. The writer may leave out the bytes of
    // trailing padding values, so the run is limited to the values whose bits are present.
    const uint64_t groups = header >> 1;
    const uint64_t bytes_needed = groups * static_cast<uint64_t>(width_);
    const uint64_t bytes_present = std::min<uint64_t>(bytes_needed, data_.size() - pos_);
    run_is_rle_ = false;
    run_left_ = width_ == 0 ? groups * 8 : bytes_present * 8 / static_cast<uint64_t>(width_);
    packed_bit_ = static_cast<uint64_t>(pos_) * 8;
    pos_ += static_cast<size_t>(bytes_present);
  } else {
    const size_t value_bytes = (static_cast<size_t>(width_) + 7) / 8;
    if (data_.size() - pos_ < value_bytes) {
      return Status::Corruption("RLE run is cut off before its value");
    }
    uint32_t v = 0;
    std::memcpy(&v, data_.data() + pos_, value_bytes);
    pos_ += value_bytes;
    if (width_ < 32 && (v >> width_) != 0) {
      return Status::Corruption("RLE run value " + std::to_string(v) + " does not fit in " +
                                std::to_string(width_) + " bits");
    }
    run_is_rle_ = true;
    run_left_ = header >> 1;
    rle_value_ = v;
  }
  return Status::OK();
}

template <typename T>
Status RleBitPackedDecoder::DecodeImpl(T* out, size_t count) {
  size_t done = 0;
  uint32_t tmp[256];
  while (done < count) {
    if (run_left_ == 0) {
      SL_RETURN_IF_ERROR(NextRun());
      continue;
    }
    const size_t n = static_cast<size_t>(std::min<uint64_t>(run_left_, count - done));
    if (run_is_rle_) {
      std::fill(out + done, out + done + n, static_cast<T>(rle_value_));
    } else if constexpr (sizeof(T) == sizeof(uint32_t)) {
      UnpackBits32(reinterpret_cast<const uint8_t*>(data_.data()), data_.size(), packed_bit_,
                   width_, reinterpret_cast<uint32_t*>(out + done), n);
    } else {
      for (size_t i = 0; i < n;) {
        const size_t k = std::min<size_t>(n - i, 256);
        UnpackBits32(reinterpret_cast<const uint8_t*>(data_.data()), data_.size(),
                     packed_bit_ + i * static_cast<uint64_t>(width_), width_, tmp, k);
        for (size_t j = 0; j < k; ++j) out[done + i + j] = static_cast<T>(tmp[j]);
        i += k;
      }
    }
    if (!run_is_rle_) packed_bit_ += n * static_cast<uint64_t>(width_);
    run_left_ -= n;
    done += n;
  }
  return Status::OK();
}

Status RleBitPackedDecoder::Decode(uint32_t* out, size_t count) { return DecodeImpl(out, count); }

Status RleBitPackedDecoder::Decode(uint8_t* out, size_t count) {
  if (width_ > 8) return Status::Corruption("RLE values wider than 8 bits where bytes expected");
  return DecodeImpl(out, count);
}

Status RleBitPackedDecoder::DecodeBounded(uint32_t* out, size_t count, uint32_t limit) {
  SL_RETURN_IF_ERROR(DecodeImpl(out, count));
  uint32_t max = 0;
  for (size_t i = 0; i < count; ++i) max = std::max(max, out[i]);
  if (count > 0 && max >= limit) {
    return Status::Corruption("dictionary index " + std::to_string(max) +
                              " is out of range for a dictionary of " + std::to_string(limit) +
                              " values");
  }
  return Status::OK();
}

Result<std::string_view> TakeLengthPrefixed(std::string_view* data, const char* what) {
  if (data->size() < 4) {
    return Status::Corruption(std::string(what) + ": the 4-byte length prefix is missing");
  }
  const uint32_t length = LoadLittleEndian<uint32_t>(data->data());
  if (length > data->size() - 4) {
    return Status::Corruption(std::string(what) + ": length " + std::to_string(length) +
                              " exceeds the " + std::to_string(data->size() - 4) +
                              " bytes left in the page");
  }
  std::string_view stream = data->substr(4, length);
  data->remove_prefix(4 + length);
  return stream;
}

Status DecodeLegacyBitPackedLevels(std::string_view* data, int width, uint8_t* out, size_t count) {
  const uint64_t bits = static_cast<uint64_t>(count) * static_cast<uint64_t>(width);
  const uint64_t bytes = (bits + 7) / 8;
  if (bytes > data->size()) {
    return Status::Corruption("BIT_PACKED levels need " + std::to_string(bytes) +
                              " bytes, the page has " + std::to_string(data->size()));
  }
  const auto* p = reinterpret_cast<const uint8_t*>(data->data());
  for (size_t i = 0; i < count; ++i) {
    uint32_t v = 0;
    for (int b = 0; b < width; ++b) {
      const uint64_t bit = static_cast<uint64_t>(i) * width + b;
      v = (v << 1) | ((p[bit / 8] >> (7 - bit % 8)) & 1);
    }
    out[i] = static_cast<uint8_t>(v);
  }
  data->remove_prefix(static_cast<size_t>(bytes));
  return Status::OK();
}

}  // namespace saleslake::parquet
