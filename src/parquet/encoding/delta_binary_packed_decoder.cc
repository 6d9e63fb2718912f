#include "parquet/encoding/delta_binary_packed_decoder.h"

#include <algorithm>
#include <string>

#include "parquet/encoding/bit_unpack.h"

namespace saleslake::parquet {
namespace {

// Far above what writers use (128 or 1024 values per block, 4 miniblocks), low enough that the
// per-block bit-width table stays small.
constexpr uint64_t kMaxBlockSize = 1u << 16;
constexpr uint64_t kMaxMiniblocks = 1u << 10;

Status Bad(const std::string& what) { return Status::Corruption("DELTA_BINARY_PACKED: " + what); }

}  // namespace

Status DeltaBinaryPackedDecoder::Init(std::string_view data) {
  data_ = data;
  pos_ = 0;
  uint64_t first;
  if (!ReadUleb128(data_, &pos_, &block_size_) ||
      !ReadUleb128(data_, &pos_, &miniblocks_per_block_) ||
      !ReadUleb128(data_, &pos_, &total_values_) || !ReadUleb128(data_, &pos_, &first)) {
    return Bad("the header is truncated or malformed");
  }
  if (block_size_ == 0 || block_size_ % 128 != 0 || block_size_ > kMaxBlockSize) {
    return Bad("block size " + std::to_string(block_size_) +
               " is not a positive multiple of 128 (at most " + std::to_string(kMaxBlockSize) +
               ")");
  }
  if (miniblocks_per_block_ == 0 || miniblocks_per_block_ > kMaxMiniblocks ||
      block_size_ % miniblocks_per_block_ != 0 || (block_size_ / miniblocks_per_block_) % 32 != 0) {
    return Bad(std::to_string(miniblocks_per_block_) + " miniblocks do not divide a block of " +
               std::to_string(block_size_) + " into multiples of 32 values");
  }
  values_per_miniblock_ = block_size_ / miniblocks_per_block_;
  last_value_ = static_cast<uint64_t>(ZigZagDecode(first));
  values_read_ = 0;
  first_value_pending_ = true;
  miniblock_left_ = 0;
  miniblock_index_ = miniblocks_per_block_;  // no block started yet
  bit_widths_.assign(miniblocks_per_block_, 0);
  return Status::OK();
}

Status DeltaBinaryPackedDecoder::StartBlock() {
  uint64_t zz;
  if (!ReadUleb128(data_, &pos_, &zz)) return Bad("a block header is truncated");
  min_delta_ = static_cast<uint64_t>(ZigZagDecode(zz));
  if (data_.size() - pos_ < miniblocks_per_block_)
    return Bad("the miniblock bit widths are cut off");
  for (uint64_t i = 0; i < miniblocks_per_block_; ++i) {
    bit_widths_[i] = static_cast<uint8_t>(data_[pos_ + i]);
  }
  pos_ += miniblocks_per_block_;
  miniblock_index_ = 0;
  return StartMiniblock();
}

Status DeltaBinaryPackedDecoder::StartMiniblock() {
  width_ = bit_widths_[miniblock_index_];
  if (width_ > 64) return Bad("miniblock bit width " + std::to_string(width_) + " exceeds 64");
  const uint64_t bytes = values_per_miniblock_ * static_cast<uint64_t>(width_) / 8;
  // Every miniblock that holds a value is stored whole (padded), except that a writer may stop
  // after the last value's bits; accept that as far as the values we need go.
  const uint64_t values_needed = std::min(values_per_miniblock_, total_values_ - values_read_);
  const uint64_t bytes_needed = (values_needed * static_cast<uint64_t>(width_) + 7) / 8;
  if (bytes_needed > data_.size() - pos_) {
    return Bad("a miniblock needs " + std::to_string(bytes_needed) + " bytes, " +
               std::to_string(data_.size() - pos_) + " are left");
  }
  miniblock_bit_ = static_cast<uint64_t>(pos_) * 8;
  pos_ += static_cast<size_t>(std::min<uint64_t>(bytes, data_.size() - pos_));
  miniblock_left_ = values_per_miniblock_;
  return Status::OK();
}

Status DeltaBinaryPackedDecoder::Decode(int64_t* out, size_t count) {
  if (count > total_values_ - values_read_) {
    return Bad("asked for " + std::to_string(count) + " more values, the header declares " +
               std::to_string(total_values_ - values_read_) + " left");
  }
  size_t done = 0;
  if (count > 0 && first_value_pending_) {
    out[done++] = static_cast<int64_t>(last_value_);
    first_value_pending_ = false;
    ++values_read_;
  }
  while (done < count) {
    if (miniblock_left_ == 0) {
      if (miniblock_index_ + 1 >= miniblocks_per_block_) {
        SL_RETURN_IF_ERROR(StartBlock());
      } else {
        ++miniblock_index_;
        SL_RETURN_IF_ERROR(StartMiniblock());
      }
    }
    const size_t n = static_cast<size_t>(std::min<uint64_t>(miniblock_left_, count - done));
    if (scratch_.size() < n) scratch_.resize(std::max<size_t>(n, values_per_miniblock_));
    UnpackBits64(reinterpret_cast<const uint8_t*>(data_.data()), data_.size(), miniblock_bit_,
                 width_, scratch_.data(), n);
    uint64_t v = last_value_;
    for (size_t i = 0; i < n; ++i) {
      v += min_delta_ + scratch_[i];
      out[done + i] = static_cast<int64_t>(v);
    }
    last_value_ = v;
    miniblock_bit_ += n * static_cast<uint64_t>(width_);
    miniblock_left_ -= n;
    values_read_ += n;
    done += n;
  }
  return Status::OK();
}

Status DeltaBinaryPackedDecoder::Decode(int32_t* out, size_t count) {
  int64_t buf[256];
  for (size_t done = 0; done < count;) {
    const size_t n = std::min<size_t>(count - done, 256);
    SL_RETURN_IF_ERROR(Decode(buf, n));
    for (size_t i = 0; i < n; ++i) out[done + i] = static_cast<int32_t>(buf[i]);
    done += n;
  }
  return Status::OK();
}

}  // namespace saleslake::parquet
