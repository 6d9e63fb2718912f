# Writes a C++ source holding the seed's catalogs as two string constants, so the binary carries
# them (it never reads them at run time). Run as:
#   cmake -DPRODUCTS=... -DSTORES=... -DOUT=... -P embed_json.cmake
function(hex_array var file)
  file(READ "${file}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(REGEX REPLACE "(0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],0x[0-9a-f][0-9a-f],)" "\\1\n" hex "${hex}")
  set(${var} "${hex}" PARENT_SCOPE)
endfunction()
hex_array(products "${PRODUCTS}")
hex_array(stores "${STORES}")
file(WRITE "${OUT}.tmp" "// Generated from src/table/seed_catalog/*.json by embed_json.cmake. Do not edit.
#include <string_view>

namespace saleslake::table::seed_catalog {
namespace {
constexpr char kProducts[] = {
${products}};
constexpr char kStores[] = {
${stores}};
}  // namespace
std::string_view ProductsJson() { return {kProducts, sizeof(kProducts)}; }
std::string_view StoresJson() { return {kStores, sizeof(kStores)}; }
}  // namespace saleslake::table::seed_catalog
")
file(RENAME "${OUT}.tmp" "${OUT}")
