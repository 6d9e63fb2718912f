#include "parquet/encoding/delta_byte_array_decoder.h"

#include <cstring>
#include <vector>

#include "parquet/encoding/delta_binary_packed_decoder.h"

namespace saleslake::parquet {
namespace {

// Reads `count` lengths (DELTA_BINARY_PACKED) from the front of `data`; returns the bytes the
// lengths occupied in *consumed.
Status DecodeLengths(std::string_view data, size_t count, const char* what,
                     std::vector<int32_t>* lengths, size_t* consumed) {
  DeltaBinaryPackedDecoder lengths_decoder;
  SL_RETURN_IF_ERROR(lengths_decoder.Init(data));
  if (lengths_decoder.total_values() != count) {
    return Status::Corruption(std::string(what) + ": the page holds " +
                              std::to_string(lengths_decoder.total_values()) + " lengths, but " +
                              std::to_string(count) + " values are declared");
  }
  lengths->resize(count);
  SL_RETURN_IF_ERROR(lengths_decoder.Decode(lengths->data(), count));
  for (size_t i = 0; i < count; ++i) {
    if ((*lengths)[i] < 0) {
      return Status::Corruption(std::string(what) + ": negative length " +
                                std::to_string((*lengths)[i]) + " for value " + std::to_string(i));
    }
  }
  *consumed = lengths_decoder.bytes_consumed();
  return Status::OK();
}

}  // namespace

Status DecodeDeltaLengthByteArrays(std::string_view data, size_t count, std::string_view* out) {
  std::vector<int32_t> lengths;
  size_t consumed = 0;
  SL_RETURN_IF_ERROR(DecodeLengths(data, count, "DELTA_LENGTH_BYTE_ARRAY", &lengths, &consumed));
  std::string_view bytes = data.substr(consumed);
  size_t pos = 0;
  for (size_t i = 0; i < count; ++i) {
    const size_t len = static_cast<size_t>(lengths[i]);
    if (len > bytes.size() - pos) {
      return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY: value " + std::to_string(i) + " claims " +
                                std::to_string(len) + " bytes, " +
                                std::to_string(bytes.size() - pos) + " are left in the page");
    }
    out[i] = bytes.substr(pos, len);
    pos += len;
  }
  return Status::OK();
}

Status DecodeDeltaByteArrays(std::string_view data, size_t count, uint64_t max_output_bytes,
                             std::shared_ptr<std::string>* storage, std::string_view* out) {
  std::vector<int32_t> prefixes;
  size_t consumed = 0;
  SL_RETURN_IF_ERROR(DecodeLengths(data, count, "DELTA_BYTE_ARRAY", &prefixes, &consumed));
  // The suffixes are a DELTA_LENGTH_BYTE_ARRAY section; decode them as views first.
  std::vector<std::string_view> suffixes(count);
  SL_RETURN_IF_ERROR(DecodeDeltaLengthByteArrays(data.substr(consumed), count, suffixes.data()));

  // Validate prefixes and size the output before allocating it.
  uint64_t total = 0;
  uint64_t previous_length = 0;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t prefix = static_cast<uint64_t>(prefixes[i]);
    if (prefix > previous_length) {
      return Status::Corruption("DELTA_BYTE_ARRAY: value " + std::to_string(i) + " shares a " +
                                std::to_string(prefix) + "-byte prefix with a previous value of " +
                                std::to_string(previous_length) + " bytes");
    }
    previous_length = prefix + suffixes[i].size();
    total += previous_length;
    if (total > max_output_bytes) {
      return Status::ResourceExhausted("DELTA_BYTE_ARRAY: the page decodes to more than " +
                                       std::to_string(max_output_bytes) + " bytes");
    }
  }
  auto buffer = std::make_shared<std::string>(static_cast<size_t>(total), '\0');
  char* p = buffer->data();
  const char* previous = p;
  for (size_t i = 0; i < count; ++i) {
    const size_t prefix = static_cast<size_t>(prefixes[i]);
    if (prefix > 0) std::memmove(p, previous, prefix);
    if (!suffixes[i].empty()) std::memcpy(p + prefix, suffixes[i].data(), suffixes[i].size());
    out[i] = std::string_view(p, prefix + suffixes[i].size());
    previous = p;
    p += out[i].size();
  }
  *storage = std::move(buffer);
  return Status::OK();
}

}  // namespace saleslake::parquet
