// AccessControl: who may do what on `saleslake serve`'s dashboard and JSON API, over the users,
// API keys and roles of auth/credentials.h (the PostgreSQL front checks the same store).
//
// A request is made by
//   - an API key:  "Authorization: Bearer <key>" or "X-API-Key: <key>";
//   - a session:   the HttpOnly, SameSite=Strict cookie set by POST /api/v1/login after a
//     password check;
//   - nobody, in open mode (loopback with no users or keys configured): every request is admin.
// POST requests must be JSON (a cross-site form cannot send that without a CORS preflight), must
// come from one of the server's own origins when the browser says where they come from (an Origin
// of "null" never is), and must carry the
// session's CSRF token (X-CSRF-Token) when made with the session cookie. Each principal has a
// token bucket (requests per minute); login attempts per client address have a small one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/credentials.h"
#include "base/status.h"
#include "web/http_exchange.h"

namespace saleslake::web {

using auth::HashPassword;
using auth::NewApiKey;
using auth::ParseRole;
using auth::Role;
using auth::RoleName;
using auth::VerifyPassword;

struct Principal {
  std::string name;  // user or key name; "open" in open mode
  Role role = Role::kViewer;
  bool session = false;  // authenticated by the session cookie (CSRF applies)
  std::string csrf;      // the session's CSRF token
};

class AccessControl {
 public:
  // Every request is admin: loopback with nothing configured.
  static std::unique_ptr<AccessControl> Open();
  // Parses the configuration JSON (`where` names it in errors). At least one user or key.
  static Result<std::unique_ptr<AccessControl>> FromJson(std::string_view json,
                                                         std::string_view where);
  explicit AccessControl(std::shared_ptr<const auth::Credentials> credentials);
  ~AccessControl();

  bool open() const { return open_; }
  // The users and keys (null in open mode), for the other fronts of the server.
  std::shared_ptr<const auth::Credentials> credentials() const { return credentials_; }

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
  std::shared_ptr<const auth::Credentials> credentials_;
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
