// DELTA_BINARY_PACKED (Encodings.md): a header
//   <block size> <miniblocks per block> <total value count> <first value, zigzag>
// then blocks of <min delta, zigzag> <one bit-width byte per miniblock> <bit-packed miniblocks>.
// Values are reconstructed with wrapping arithmetic, so INT32 and INT64 both decode through
// 64-bit sums truncated to the column's width.
//
// Hostile input: header fields are range-checked (block size a positive multiple of 128,
// miniblocks holding multiples of 32 values), bit widths are at most 64, and every miniblock's
// bytes are checked before they are read. Only the miniblocks that hold values are read: the
// bit widths of unused trailing miniblocks may be anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace saleslake::parquet {

class DeltaBinaryPackedDecoder {
 public:
  // Parses the header at the front of `data`.
  Status Init(std::string_view data);

  // The value count the header declares.
  uint64_t total_values() const { return total_values_; }

  // Decodes the next `count` values. Asking for more than total_values() is Corruption.
  Status Decode(int64_t* out, size_t count);
  Status Decode(int32_t* out, size_t count);

  // Bytes from the start of the data to the end of the last miniblock read so far: after all
  // values are decoded, where the next section of the page begins.
  size_t bytes_consumed() const { return pos_; }

 private:
  Status StartBlock();
  Status StartMiniblock();

  std::string_view data_;
  size_t pos_ = 0;
  uint64_t block_size_ = 0;
  uint64_t miniblocks_per_block_ = 0;
  uint64_t values_per_miniblock_ = 0;
  uint64_t total_values_ = 0;
  uint64_t values_read_ = 0;
  uint64_t last_value_ = 0;  // wrapping arithmetic in uint64
  bool first_value_pending_ = true;

  // Current block and miniblock.
  uint64_t min_delta_ = 0;
  std::vector<uint8_t> bit_widths_;
  uint64_t miniblock_index_ = 0;
  uint64_t miniblock_left_ = 0;  // values left in the current miniblock
  uint64_t miniblock_bit_ = 0;   // bit offset of the next packed delta in data_
  int width_ = 0;
  std::vector<uint64_t> scratch_;
};

}  // namespace saleslake::parquet
