// Credentials: the users, API keys and roles of a saleslake server, shared by the dashboard
// (web/dashboard/access.h) and the PostgreSQL wire protocol (sql/pgwire). Only the store and its
// secrets live here; how a request proves who it is (cookies, headers, SCRAM) is each front's job.
//
// Roles are ordered: viewer (dashboards, catalog, runs) < analyst (+ SQL, quarantine samples) <
// admin (+ "run now").
//   - users:    a name and a password, stored as PBKDF2-HMAC-SHA256 (210,000 iterations, random
//               salt). That stored hash is also SCRAM-SHA-256's SaltedPassword (RFC 5802), so the
//               same entry signs in to the dashboard and to psql (auth/scram.h);
//   - API keys: long random strings, stored as SHA-256 (a fast hash is enough for them).
//
// Configuration (a JSON file, --auth-file; or the same JSON in SALESLAKE_AUTH):
//   {"users":    [{"name": "ana", "role": "analyst", "password_hash": "pbkdf2-sha256$..."}],
//    "api_keys": [{"name": "ci", "role": "viewer", "key_sha256": "<64 hex>"}],
//    "rate_limit_per_minute": 1200, "session_hours": 12}
// `saleslake serve --hash-password` and `--new-api-key` print the stored forms.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/hash.h"
#include "base/status.h"

namespace saleslake::auth {

enum class Role { kViewer = 1, kAnalyst = 2, kAdmin = 3 };

std::string_view RoleName(Role role);
Result<Role> ParseRole(std::string_view text);

// "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>" for `password`.
std::string HashPassword(std::string_view password, int iterations = 210'000);
bool VerifyPassword(std::string_view password, std::string_view stored);

// The parts of a stored password hash (what SCRAM sends and checks against).
struct PasswordHash {
  int iterations = 0;
  std::string salt;         // raw bytes
  std::string salted_hash;  // raw bytes: PBKDF2-HMAC-SHA256(password, salt, iterations), 32 bytes
};
std::optional<PasswordHash> ParsePasswordHash(std::string_view stored);

// A new API key ("slk_" + 43 base64url characters) and its stored form (SHA-256, hex).
std::pair<std::string, std::string> NewApiKey();

// `bytes` random bytes as base64url without padding (tokens, nonces). Aborts without randomness.
std::string RandomToken(size_t bytes);
// Base64Decode of at most 1024 characters (what a stored hash or a SCRAM proof may be).
Result<std::string> Unbase64(std::string_view text);
bool ConstantTimeEqual(std::string_view a, std::string_view b);

struct User {
  std::string name, password_hash;
  Role role;
};
struct ApiKey {
  std::string name, sha256;
  Role role;
};

class Credentials {
 public:
  // Parses the configuration JSON (`where` names it in errors). At least one user or key.
  static Result<std::unique_ptr<Credentials>> FromJson(std::string_view json,
                                                       std::string_view where);

  const User* FindUser(std::string_view name) const;
  const ApiKey* FindKeyByName(std::string_view name) const;
  // The key whose hash matches `key`, compared in constant time; null when none does.
  const ApiKey* FindKey(std::string_view key) const;

  const std::vector<User>& users() const { return users_; }
  const std::vector<ApiKey>& keys() const { return keys_; }
  int rate_per_minute() const { return rate_per_minute_; }
  int64_t session_micros() const { return session_micros_; }

 private:
  std::vector<User> users_;
  std::vector<ApiKey> keys_;
  int rate_per_minute_ = 1200;
  int64_t session_micros_ = int64_t{12} * 3600 * 1'000'000;
};

}  // namespace saleslake::auth
