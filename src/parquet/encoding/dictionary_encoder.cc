#include "parquet/encoding/dictionary_encoder.h"

#define XXH_INLINE_ALL  // short keys: an inlined hash is several times faster than a call
#include <xxhash.h>

#include "parquet/encoding/plain_encoder.h"

namespace saleslake::parquet {

// The slot index comes from the low bits of the 64-bit hash, the tag from the high bits, so the
// two are independent.
uint32_t ByteArrayDictionary::IdOf(std::string_view v) {
  const uint64_t h = XXH3_64bits(v.data(), v.size());
  const uint32_t tag = static_cast<uint32_t>(h >> 32);
  size_t slot = h & mask_;
  while (true) {
    const Slot s = slots_[slot];
    if (s.id_plus_one == 0) break;
    if (s.hash_tag == tag) {
      const uint32_t id = s.id_plus_one - 1;
      const uint32_t begin = offsets_[id];
      const uint32_t length = offsets_[id + 1] - begin;
      if (length == v.size() && SameBytes(arena_.data() + begin, v.data(), length)) return id;
    }
    slot = (slot + 1) & mask_;
  }
  const uint32_t id = static_cast<uint32_t>(size());
  arena_.append(v);
  offsets_.push_back(static_cast<uint32_t>(arena_.size()));
  slots_[slot] = Slot{id + 1, tag};
  if (size() * 2 > slots_.size()) Grow();
  return id;
}

void ByteArrayDictionary::Grow() {
  // Rehashing needs the full hash; recompute it from the arena (rare: log2(n) times per chunk).
  slots_.assign(slots_.size() * 2, Slot{0, 0});
  mask_ = slots_.size() - 1;
  for (uint32_t id = 0; id < size(); ++id) {
    std::string_view v = value(id);
    const uint64_t h = XXH3_64bits(v.data(), v.size());
    size_t slot = h & mask_;
    while (slots_[slot].id_plus_one != 0) slot = (slot + 1) & mask_;
    slots_[slot] = Slot{id + 1, static_cast<uint32_t>(h >> 32)};
  }
}

void ByteArrayDictionary::AppendPlain(bool fixed_width, std::string* out) const {
  if (fixed_width) {
    out->append(arena_);
    return;
  }
  out->reserve(out->size() + plain_bytes(false));
  for (uint32_t id = 0; id < size(); ++id) AppendPlainByteArray(value(id), out);
}

void ByteArrayDictionary::Clear() {
  arena_.clear();
  offsets_.assign(1, 0);
  slots_.assign(1024, Slot{0, 0});
  mask_ = slots_.size() - 1;
}

}  // namespace saleslake::parquet
