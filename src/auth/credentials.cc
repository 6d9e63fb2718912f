#include "auth/credentials.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdlib>

#include "base/hash.h"

namespace saleslake::auth {

Result<std::string> Unbase64(std::string_view text) {
  if (text.empty() || text.size() > 1024) return Status::InvalidArgument("bad base64");
  return Base64Decode(text);
}

std::string RandomToken(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    // Without randomness no session, nonce or key may be made; this never happens on Linux.
    std::abort();
  }
  std::string b = Base64Encode(raw);
  // base64url without padding: safe in cookies, headers and SCRAM attributes.
  std::replace(b.begin(), b.end(), '+', '-');
  std::replace(b.begin(), b.end(), '/', '_');
  b.erase(std::remove(b.begin(), b.end(), '='), b.end());
  return b;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

Result<Role> ParseRole(std::string_view text) {
  if (text == "viewer") return Role::kViewer;
  if (text == "analyst") return Role::kAnalyst;
  if (text == "admin") return Role::kAdmin;
  return Status::InvalidArgument("role '" + std::string(text.substr(0, 40)) +
                                 "' is not one of viewer, analyst, admin");
}

std::string HashPassword(std::string_view password, int iterations) {
  unsigned char salt[16];
  if (RAND_bytes(salt, sizeof(salt)) != 1) std::abort();
  unsigned char hash[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt, sizeof(salt),
                    iterations, EVP_sha256(), sizeof(hash), hash);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" +
         Base64Encode({reinterpret_cast<const char*>(salt), sizeof(salt)}) + "$" +
         Base64Encode({reinterpret_cast<const char*>(hash), sizeof(hash)});
}

std::optional<PasswordHash> ParsePasswordHash(std::string_view stored) {
  std::vector<std::string_view> parts;
  while (true) {
    size_t d = stored.find('$');
    parts.push_back(stored.substr(0, d));
    if (d == std::string_view::npos || parts.size() > 4) break;
    stored.remove_prefix(d + 1);
  }
  if (parts.size() != 4 || parts[0] != "pbkdf2-sha256" || parts[1].empty()) return std::nullopt;
  int iterations = 0;
  for (char c : parts[1]) {
    if (c < '0' || c > '9' || iterations > 10'000'000) return std::nullopt;
    iterations = iterations * 10 + (c - '0');
  }
  Result<std::string> salt = Unbase64(parts[2]);
  Result<std::string> hash = Unbase64(parts[3]);
  if (iterations < 1000 || !salt.ok() || !hash.ok() || hash->empty()) return std::nullopt;
  return PasswordHash{iterations, std::move(*salt), std::move(*hash)};
}

bool VerifyPassword(std::string_view password, std::string_view stored) {
  std::optional<PasswordHash> h = ParsePasswordHash(stored);
  if (!h) return false;
  std::string got(h->salted_hash.size(), '\0');
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(h->salt.data()),
                    static_cast<int>(h->salt.size()), h->iterations, EVP_sha256(),
                    static_cast<int>(got.size()), reinterpret_cast<unsigned char*>(got.data()));
  return ConstantTimeEqual(got, h->salted_hash);
}

std::pair<std::string, std::string> NewApiKey() {
  std::string key = "slk_" + RandomToken(32);
  return {key, Sha256Hex(key)};
}

Result<std::unique_ptr<Credentials>> Credentials::FromJson(std::string_view json,
                                                           std::string_view where) {
  auto c = std::make_unique<Credentials>();
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument(std::string(where) + ": " + what +
                                   " (see docs/dashboard.md, \"Authentication\")");
  };
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root)) return bad("not valid JSON");
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) return bad("the configuration must be a JSON object");
  for (simdjson::dom::key_value_pair kv : obj) {
    const std::string key(kv.key);
    if (key == "users" || key == "api_keys") {
      simdjson::dom::array list;
      if (kv.value.get_array().get(list)) return bad("\"" + key + "\" must be an array");
      size_t i = 0;
      for (simdjson::dom::element e : list) {
        const std::string at = key + "[" + std::to_string(i++) + "]";
        std::string_view name, role_text, secret;
        const char* secret_field = key == "users" ? "password_hash" : "key_sha256";
        if (e["name"].get_string().get(name) || name.empty()) return bad(at + ": needs \"name\"");
        if (e["role"].get_string().get(role_text)) return bad(at + ": needs \"role\"");
        if (e[secret_field].get_string().get(secret) || secret.empty()) {
          return bad(at + ": needs \"" + secret_field + "\"");
        }
        Result<Role> role = ParseRole(role_text);
        if (!role.ok()) return bad(at + ": " + role.status().message());
        if (key == "users") {
          if (!secret.starts_with("pbkdf2-sha256$")) {
            return bad(at +
                       ": password_hash must be a pbkdf2-sha256 hash (saleslake serve "
                       "--hash-password prints one)");
          }
          c->users_.push_back({std::string(name), std::string(secret), *role});
        } else {
          if (secret.size() != 64 ||
              secret.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
            return bad(at +
                       ": key_sha256 must be 64 lower-case hex digits (saleslake serve "
                       "--new-api-key prints a key and its hash)");
          }
          c->keys_.push_back({std::string(name), std::string(secret), *role});
        }
      }
    } else if (key == "rate_limit_per_minute" || key == "session_hours") {
      int64_t v = 0;
      if (kv.value.get_int64().get(v) || v < 1 || v > 1'000'000) {
        return bad("\"" + key + "\" must be an integer from 1 to 1000000");
      }
      if (key == "rate_limit_per_minute") {
        c->rate_per_minute_ = static_cast<int>(v);
      } else {
        c->session_micros_ = v * 3600 * 1'000'000;
      }
    } else {
      return bad("unknown field \"" + key +
                 "\" (known: users, api_keys, rate_limit_per_minute, session_hours)");
    }
  }
  if (c->users_.empty() && c->keys_.empty()) return bad("no users and no api_keys");
  return c;
}

const User* Credentials::FindUser(std::string_view name) const {
  for (const User& u : users_) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

const ApiKey* Credentials::FindKeyByName(std::string_view name) const {
  for (const ApiKey& k : keys_) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

const ApiKey* Credentials::FindKey(std::string_view key) const {
  const std::string hash = Sha256Hex(key);
  const ApiKey* found = nullptr;
  for (const ApiKey& k : keys_) {
    if (ConstantTimeEqual(hash, k.sha256)) found = &k;
  }
  return found;
}

}  // namespace saleslake::auth
