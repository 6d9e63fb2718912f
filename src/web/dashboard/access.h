// AccessControl: who may do what on `saleslake serve`.
//
// Roles are ordered: viewer (dashboards, catalog, runs) < analyst (+ SQL, quarantine samples) <
// admin (+ "run now"). A request is made by
//   - an API key:  "Authorization: Bearer <key>" or "X-API-Key: <key>" (stored as SHA-256: keys
//     are long random strings, so a fast hash is enough and keeps every request cheap);
//   - a session:   the HttpOnly, SameSite=Strict cookie set by POST /api/v1/login after a
//     password check (passwords stored as PBKDF2-HMAC-SHA256, 210,000 iterations, random salt);
//   - nobody, in open mode (loopback with no users or keys configured): every request is admin.
// POST requests must be JSON (a cross-site form cannot send that without a CORS preflight), must
// come from one of the server's own origins when the browser says where they come from (an Origin
// of "null" never is), and must carry the
// session's CSRF token (X-CSRF-Token) when made with the session cookie. Each principal has a
// token bucket (requests per minute); login attempts per client address have a small one.
//
// Configuration (a JSON file, --auth-file; or the same JSON in SALESLAKE_AUTH):
//   {"users":    [{"name": "ana", "role": "analyst", "password_hash": "pbkdf2-sha256$..."}],
//    "api_keys": [{"name": "ci", "role": "viewer", "key_sha256": "<64 hex>"}],
//    "rate_limit_per_minute": 1200, "session_hours": 12}
// `saleslake serve --hash-password` and `--new-api-key` print the stored forms.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "web/http_exchange.h"

namespace saleslake::web {

enum class Role { kViewer = 1, kAnalyst = 2, kAdmin = 3 };

std::string_view RoleName(Role role);
Result<Role> ParseRole(std::string_view text);

struct Principal {
  std::string name;  // user or key name; "open" in open mode
  Role role = Role::kViewer;
  bool session = false;  // authenticated by the session cookie (CSRF applies)
  std::string csrf;      // the session's CSRF token
};

// "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>" for `password`.
std::string HashPassword(std::string_view password, int iterations = 210'000);
bool VerifyPassword(std::string_view password, std::string_view stored);
// A new API key ("slk_" + 43 base64url characters) and its stored form (SHA-256, hex).
std::pair<std::string, std::string> NewApiKey();
std::string Sha256Hex(std::string_view data);

class AccessControl {
 public:
  // Every request is admin: loopback with nothing configured.
  static std::unique_ptr<AccessControl> Open();
  // Parses the configuration JSON (`where` names it in errors). At least one user or key.
  static Result<std::unique_ptr<AccessControl>> FromJson(std::string_view json,
                                                         std::string_view where);
  ~AccessControl();

  bool open() const { return open_; }

  // Checks the request's credentials, role, rate and (POST) origin + CSRF. On refusal fills *res
  // (401, 403, 415 or 429 with a JSON error) and returns false.
  bool Authorize(const Request& req, Response* res, Role needed, Principal* who = nullptr);

  // POST /api/v1/login {"user": "...", "password": "..."}, POST /api/v1/logout,
  // GET /api/v1/session.
  void Login(const Request& req, Response* res);
  void Logout(const Request& req, Response* res);
  void Session(const Request& req, Response* res);

  // For tests: the rate of every principal (requests per minute).
  void SetRateLimitForTesting(int per_minute) { rate_per_minute_ = per_minute; }

 private:
  struct User {
    std::string name, password_hash;
    Role role;
  };
  struct Key {
    std::string name, sha256;
    Role role;
  };
  struct SessionState {
    std::string user;
    Role role;
    std::string csrf;
    int64_t expires_micros;
  };
  struct Bucket {
    double tokens;
    int64_t at_micros;
  };

  AccessControl() = default;
  // The principal of the request's credentials; an error message when they are wrong.
  bool Identify(const Request& req, Principal* who, std::string* error);
  bool TakeToken(const std::string& key, int per_minute, int burst);
  bool CheckPost(const Request& req, const Principal& who, Response* res);

  bool open_ = false;
  std::vector<User> users_;
  std::vector<Key> keys_;
  int rate_per_minute_ = 1200;
  int64_t session_micros_ = int64_t{12} * 3600 * 1'000'000;

  std::mutex mu_;
  std::map<std::string, SessionState> sessions_;  // by SHA-256 of the cookie's token
  std::map<std::string, Bucket> buckets_;
};

// The headers every dashboard response carries: a CSP without inline script, nosniff, no
// framing, no referrer leaks.
void AddSecurityHeaders(Response* res);

}  // namespace saleslake::web
