#include "compress/crc32.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace saleslake::compress {

uint32_t Crc32Extend(uint32_t crc, std::string_view data) {
  uLong c = crc;
  const auto* p = reinterpret_cast<const Bytef*>(data.data());
  size_t left = data.size();
  while (left > 0) {  // zlib takes uInt lengths
    const size_t n = std::min<size_t>(left, UINT_MAX);
    c = crc32(c, p, static_cast<uInt>(n));
    p += n;
    left -= n;
  }
  return static_cast<uint32_t>(c);
}

uint32_t Crc32(std::string_view data) { return Crc32Extend(0, data); }

}  // namespace saleslake::compress
