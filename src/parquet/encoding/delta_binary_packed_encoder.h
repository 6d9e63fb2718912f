// DELTA_BINARY_PACKED encoding (Encodings.md "Delta Encoding") for INT32 and INT64: blocks of 128
// deltas in 4 miniblocks of 32, each miniblock bit-packed at the width its largest
// (delta - min delta) needs. Arithmetic wraps in the column's width, so any values round-trip and
// an INT32 miniblock never needs more than 32 bits.
//
// It wins over PLAIN when neighbouring values are close (timestamps, ids, sorted keys) and costs
// little when they are not: at worst a few bytes per 128 values more than PLAIN.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace saleslake::parquet {

void EncodeDeltaBinaryPacked(const int32_t* values, size_t count, std::string* out);
void EncodeDeltaBinaryPacked(const int64_t* values, size_t count, std::string* out);

}  // namespace saleslake::parquet
