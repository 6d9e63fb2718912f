// DELTA_LENGTH_BYTE_ARRAY (all lengths as DELTA_BINARY_PACKED, then all bytes back to back) and
// DELTA_BYTE_ARRAY (prefix lengths as DELTA_BINARY_PACKED, then the suffixes as
// DELTA_LENGTH_BYTE_ARRAY; each value is the first `prefix` bytes of the previous value followed by
// its suffix).
//
// Lengths are checked (non-negative, within the page, prefix no longer than the previous value)
// and the total size of DELTA_BYTE_ARRAY output, which can grow quadratically with a hostile page,
// is capped by `max_output_bytes` before anything is allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::parquet {

// Decodes `count` values from `data`; the views point into `data`.
Status DecodeDeltaLengthByteArrays(std::string_view data, size_t count, std::string_view* out);

// Decodes `count` values into one new buffer (*storage) that the views point into.
Status DecodeDeltaByteArrays(std::string_view data, size_t count, uint64_t max_output_bytes,
                             std::shared_ptr<std::string>* storage, std::string_view* out);

}  // namespace saleslake::parquet
