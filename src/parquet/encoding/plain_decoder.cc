#include "parquet/encoding/plain_decoder.h"

#include <cstring>
#include <string>

#include "parquet/encoding/bit_unpack.h"

namespace saleslake::parquet {
namespace {

Status TooShort(const char* what, size_t count, uint64_t need, size_t have) {
  return Status::Corruption(std::string("PLAIN ") + what + ": " + std::to_string(count) +
                            " values need " + std::to_string(need) + " bytes, the page has " +
                            std::to_string(have));
}

}  // namespace

Status DecodePlainBooleans(std::string_view* data, size_t count, uint8_t* out) {
  const uint64_t bytes = (static_cast<uint64_t>(count) + 7) / 8;
  if (bytes > data->size()) return TooShort("BOOLEAN", count, bytes, data->size());
  const auto* p = reinterpret_cast<const uint8_t*>(data->data());
  for (size_t i = 0; i < count; ++i) out[i] = (p[i >> 3] >> (i & 7)) & 1;
  data->remove_prefix(static_cast<size_t>(bytes));
  return Status::OK();
}

template <typename T>
Status DecodePlainFixed(std::string_view* data, size_t count, T* out) {
  const uint64_t bytes = static_cast<uint64_t>(count) * sizeof(T);
  if (bytes > data->size()) return TooShort("fixed-width", count, bytes, data->size());
  if (bytes > 0) std::memcpy(out, data->data(), static_cast<size_t>(bytes));
  data->remove_prefix(static_cast<size_t>(bytes));
  return Status::OK();
}

template Status DecodePlainFixed<int32_t>(std::string_view*, size_t, int32_t*);
template Status DecodePlainFixed<int64_t>(std::string_view*, size_t, int64_t*);
template Status DecodePlainFixed<float>(std::string_view*, size_t, float*);
template Status DecodePlainFixed<double>(std::string_view*, size_t, double*);

Status DecodePlainByteArrays(std::string_view* data, size_t count, std::string_view* out) {
  const char* p = data->data();
  size_t left = data->size();
  for (size_t i = 0; i < count; ++i) {
    if (left < 4) {
      return Status::Corruption("PLAIN BYTE_ARRAY: value " + std::to_string(i) + " of " +
                                std::to_string(count) + " is cut off before its length");
    }
    const uint32_t len = LoadLittleEndian<uint32_t>(p);
    if (len > left - 4) {
      return Status::Corruption("PLAIN BYTE_ARRAY: value " + std::to_string(i) + " claims " +
                                std::to_string(len) + " bytes, " + std::to_string(left - 4) +
                                " are left in the page");
    }
    out[i] = std::string_view(p + 4, len);
    p += 4 + len;
    left -= 4 + len;
  }
  data->remove_prefix(data->size() - left);
  return Status::OK();
}

Status DecodePlainFixedLenByteArrays(std::string_view* data, size_t count, size_t width,
                                     std::string_view* out) {
  if (width == 0) return Status::Corruption("FIXED_LEN_BYTE_ARRAY of width 0");
  const uint64_t bytes = static_cast<uint64_t>(count) * width;
  if (bytes > data->size()) {
    return TooShort("FIXED_LEN_BYTE_ARRAY", count, bytes, data->size());
  }
  for (size_t i = 0; i < count; ++i) out[i] = data->substr(i * width, width);
  data->remove_prefix(static_cast<size_t>(bytes));
  return Status::OK();
}

}  // namespace saleslake::parquet
