// Content hashes and encodings: SHA-256 (batch ids, SigV4), hex, base64.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);

// Incremental SHA-256 for content that arrives in pieces (an HTTP body, a file).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data);
  Sha256Digest Finish();  // REQUIRES: called once

 private:
  EVP_MD_CTX* ctx_;
};

std::string HexEncode(const uint8_t* data, size_t size);
inline std::string HexEncode(const Sha256Digest& d) { return HexEncode(d.data(), d.size()); }
std::string Base64Encode(std::string_view data);
// Standard base64 with padding; anything else (wrong length, a stray character) is
// InvalidArgument.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace saleslake
