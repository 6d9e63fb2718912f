// CRC-32 (IEEE 802.3, the polynomial of zlib and gzip): the checksum Parquet page headers carry in
// their `crc` field, computed over the page's bytes as stored (after compression).
#pragma once

#include <cstdint>
#include <string_view>

namespace saleslake::compress {

uint32_t Crc32(std::string_view data);
// Continues a running CRC: Crc32(a + b) == Crc32Extend(Crc32(a), b).
uint32_t Crc32Extend(uint32_t crc, std::string_view data);

}  // namespace saleslake::compress
