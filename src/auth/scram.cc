#include "auth/scram.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <vector>

namespace saleslake::auth {
namespace {

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &n);
  return std::string(reinterpret_cast<const char*>(out), n);
}

std::string Sha256(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

// "a=1,b=2" -> the value of attribute `name`, or nullopt.
std::optional<std::string_view> Attribute(std::string_view message, char name) {
  while (!message.empty()) {
    size_t comma = message.find(',');
    std::string_view part = message.substr(0, comma);
    if (part.size() >= 2 && part[0] == name && part[1] == '=') return part.substr(2);
    if (comma == std::string_view::npos) break;
    message.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

Status Refuse(std::string_view what) {
  return Status::PermissionDenied("SCRAM-SHA-256: " + std::string(what));
}

}  // namespace

ScramServer::ScramServer(std::optional<PasswordHash> hash) : hash_(std::move(hash)) {
  if (hash_) {
    used_ = *hash_;
  } else {
    used_.iterations = 4096;
    used_.salt = Sha256(RandomToken(16)).substr(0, 16);
    used_.salted_hash = Sha256(RandomToken(32));
  }
}

Result<std::string> ScramServer::ClientFirst(std::string_view message) {
  if (first_done_) return Refuse("a second client-first message");
  first_done_ = true;
  if (message.size() > 1024) return Refuse("the client-first message is too long");
  // gs2-header: "n,," (no channel binding) or "y,," (client could, but thinks we cannot).
  if (message.starts_with("p=")) return Refuse("channel binding is not offered by this server");
  if (!message.starts_with("n,") && !message.starts_with("y,")) {
    return Refuse("malformed client-first message");
  }
  size_t second = message.find(',', 2);
  if (second == std::string_view::npos) return Refuse("malformed client-first message");
  gs2_header_ = std::string(message.substr(0, second + 1));
  client_first_bare_ = std::string(message.substr(second + 1));
  std::optional<std::string_view> nonce = Attribute(client_first_bare_, 'r');
  if (!nonce || nonce->empty()) return Refuse("the client-first message has no nonce");
  if (client_first_bare_.starts_with("m=")) return Refuse("extensions are not supported");
  nonce_ = std::string(*nonce) + RandomToken(18);
  server_first_ =
      "r=" + nonce_ + ",s=" + Base64Encode(used_.salt) + ",i=" + std::to_string(used_.iterations);
  return server_first_;
}

Result<std::string> ScramServer::ClientFinal(std::string_view message) {
  if (!first_done_ || server_first_.empty()) return Refuse("client-final before client-first");
  if (message.size() > 1024) return Refuse("the client-final message is too long");
  std::optional<std::string_view> binding = Attribute(message, 'c');
  std::optional<std::string_view> nonce = Attribute(message, 'r');
  size_t proof_at = message.rfind(",p=");
  if (!binding || !nonce || proof_at == std::string_view::npos) {
    return Refuse("malformed client-final message");
  }
  if (*binding != Base64Encode(gs2_header_)) return Refuse("channel binding data does not match");
  if (*nonce != nonce_) return Refuse("the nonce does not match");
  Result<std::string> proof = Unbase64(message.substr(proof_at + 3));
  if (!proof.ok() || proof->size() != SHA256_DIGEST_LENGTH) return Refuse("malformed proof");
  const std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(message.substr(0, proof_at));
  const std::string client_key = Hmac(used_.salted_hash, "Client Key");
  const std::string stored_key = Sha256(client_key);
  const std::string signature = Hmac(stored_key, auth_message);
  std::string recovered(proof->size(), '\0');
  for (size_t i = 0; i < recovered.size(); ++i) recovered[i] = (*proof)[i] ^ signature[i];
  const bool ok = ConstantTimeEqual(Sha256(recovered), stored_key);
  if (!ok || !hash_) return Refuse("password authentication failed");
  const std::string server_key = Hmac(used_.salted_hash, "Server Key");
  return "v=" + Base64Encode(Hmac(server_key, auth_message));
}

std::string ScramClientProof(std::string_view password, const PasswordHash& h,
                             std::string_view auth_message) {
  std::string salted(32, '\0');
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(h.salt.data()),
                    static_cast<int>(h.salt.size()), h.iterations, EVP_sha256(), 32,
                    reinterpret_cast<unsigned char*>(salted.data()));
  const std::string client_key = Hmac(salted, "Client Key");
  const std::string signature = Hmac(Sha256(client_key), auth_message);
  std::string proof(client_key.size(), '\0');
  for (size_t i = 0; i < proof.size(); ++i) proof[i] = client_key[i] ^ signature[i];
  return Base64Encode(proof);
}

}  // namespace saleslake::auth
