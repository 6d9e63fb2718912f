#include "web/dashboard/access.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>

#include "base/clock.h"
#include "base/json_writer.h"
#include "base/logging.h"

namespace saleslake::web {
namespace {

constexpr std::string_view kCookie = "sl_session";
constexpr int kLoginAttemptsPerMinute = 10;

using auth::ConstantTimeEqual;
using auth::RandomToken;

std::string CookieValue(const std::string& header, std::string_view name) {
  std::string_view rest = header;
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view part = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
  }
  return "";
}

void Refuse(Response* res, int status, std::string_view message) {
  res->SetError(status, message);
  AddSecurityHeaders(res);
  if (status == 401) res->AddHeader("WWW-Authenticate", "Bearer realm=\"saleslake\"");
}

// A state-changing request's Origin, when the browser sends one, must be one of the server's own
// origins: compared with the names the server answers to, never with the request's Host (a page
// that rebinds its own name to this server sends a Host and an Origin that agree). "null"
// (sandboxed frames, file: pages, some redirects) is never ours.
bool CheckOrigin(const Request& req, Response* res) {
  const std::string origin = req.Header("Origin");
  if (origin.empty() || req.IsOwnOrigin(origin)) return true;
  Refuse(res, 403,
         "cross-origin POST refused (Origin " + origin.substr(0, 100) +
             " is not one of this server's origins)");
  return false;
}

}  // namespace

void AddSecurityHeaders(Response* res) {
  // Styles may be inline: the chart library styles its tooltips with style attributes. Scripts
  // may not.
  res->AddHeader("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
                 "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  res->AddHeader("X-Content-Type-Options", "nosniff");
  res->AddHeader("X-Frame-Options", "DENY");
  res->AddHeader("Referrer-Policy", "same-origin");
  res->AddHeader("Cross-Origin-Opener-Policy", "same-origin");
}

std::unique_ptr<AccessControl> AccessControl::Open() {
  std::unique_ptr<AccessControl> a(new AccessControl());
  a->open_ = true;
  return a;
}

AccessControl::~AccessControl() = default;

AccessControl::AccessControl(std::shared_ptr<const auth::Credentials> credentials)
    : credentials_(std::move(credentials)),
      rate_per_minute_(credentials_->rate_per_minute()),
      session_micros_(credentials_->session_micros()) {}

Result<std::unique_ptr<AccessControl>> AccessControl::FromJson(std::string_view json,
                                                               std::string_view where) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<auth::Credentials> c,
                      auth::Credentials::FromJson(json, where));
  return std::make_unique<AccessControl>(std::shared_ptr<const auth::Credentials>(std::move(c)));
}

bool AccessControl::TakeToken(const std::string& key, int per_minute, int burst) {
  const int64_t now = MonotonicMicros();
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{static_cast<double>(burst), now});
  Bucket& b = it->second;
  b.tokens = std::min<double>(
      burst, b.tokens + static_cast<double>(now - b.at_micros) * per_minute / 60e6);
  b.at_micros = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

bool AccessControl::Identify(const Request& req, Principal* who, std::string* error) {
  std::string key = req.Header("X-API-Key");
  const std::string authorization = req.Header("Authorization");
  if (key.empty() && authorization.starts_with("Bearer ")) key = authorization.substr(7);
  if (!key.empty()) {
    if (const auth::ApiKey* k = credentials_->FindKey(key)) {
      *who = {k->name, k->role, false, ""};
      return true;
    }
    *error = "the API key is not valid";
    return false;
  }
  const std::string token = CookieValue(req.Header("Cookie"), kCookie);
  if (!token.empty()) {
    const std::string id = Sha256Hex(token);
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(id);
    if (it != sessions_.end() && it->second.expires_micros > NowMicros()) {
      *who = {it->second.user, it->second.role, true, it->second.csrf};
      return true;
    }
    if (it != sessions_.end()) sessions_.erase(it);
    *error = "the session has expired: sign in again";
    return false;
  }
  *error = "sign in, or send an API key (Authorization: Bearer <key>)";
  return false;
}

bool AccessControl::CheckPost(const Request& req, const Principal& who, Response* res) {
  const std::string type = req.Header("Content-Type");
  if (!type.starts_with("application/json")) {
    Refuse(res, 415, "POST bodies must be JSON (Content-Type: application/json)");
    return false;
  }
  if (!CheckOrigin(req, res)) return false;
  if (who.session && !ConstantTimeEqual(req.Header("X-CSRF-Token"), who.csrf)) {
    Refuse(res, 403, "missing or wrong X-CSRF-Token (GET /api/v1/session gives it)");
    return false;
  }
  return true;
}

bool AccessControl::Authorize(const Request& req, Response* res, Role needed, Principal* who) {
  Principal p;
  if (open_) {
    p = {"open", Role::kAdmin, false, ""};
  } else {
    std::string error;
    if (!Identify(req, &p, &error)) {
      Refuse(res, 401, error);
      return false;
    }
    if (!TakeToken("p:" + p.name, rate_per_minute_, std::max(10, rate_per_minute_ / 6))) {
      res->AddHeader("Retry-After", "1");
      Refuse(res, 429,
             "rate limit of " + std::to_string(rate_per_minute_) +
                 " requests per minute reached for " + p.name);
      return false;
    }
    if (p.role < needed) {
      Refuse(res, 403,
             std::string(RoleName(p.role)) + " " + p.name + " may not do this (needs " +
                 std::string(RoleName(needed)) + ")");
      return false;
    }
  }
  if (req.method() == "POST" && !CheckPost(req, p, res)) return false;
  if (who) *who = p;
  return true;
}

void AccessControl::Login(const Request& req, Response* res) {
  AddSecurityHeaders(res);
  if (open_) {
    res->SetError(400, "this server is open (loopback, no users configured): no sign-in needed");
    return;
  }
  if (!req.Header("Content-Type").starts_with("application/json")) {
    Refuse(res, 415, "POST bodies must be JSON (Content-Type: application/json)");
    return;
  }
  if (!CheckOrigin(req, res)) return;
  if (!TakeToken("login:" + req.remote_address(), kLoginAttemptsPerMinute, 5)) {
    res->AddHeader("Retry-After", "10");
    Refuse(res, 429, "too many sign-in attempts from this address: wait a minute");
    return;
  }
  simdjson::dom::parser parser;
  simdjson::padded_string body(req.body());
  simdjson::dom::element root;
  std::string_view user, password;
  if (parser.parse(body).get(root) || root["user"].get_string().get(user) ||
      root["password"].get_string().get(password)) {
    res->SetError(400, "the body must be {\"user\": \"...\", \"password\": \"...\"}");
    return;
  }
  const auth::User* found = credentials_->FindUser(user);
  // A missing user costs the same hash as a wrong password, so timing does not tell them apart.
  static const std::string kDummy = HashPassword("not a password");
  const bool ok = VerifyPassword(password, found ? found->password_hash : kDummy) && found;
  if (!ok) {
    log::Warn("auth.login_failed",
              {{"user", std::string(user.substr(0, 64))}, {"remote", req.remote_address()}});
    Refuse(res, 401, "wrong user name or password");
    return;
  }
  const std::string token = RandomToken(32);
  SessionState s{found->name, found->role, RandomToken(24), NowMicros() + session_micros_};
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Expired sessions go when someone signs in: the map stays bounded by live sessions.
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      it = it->second.expires_micros <= NowMicros() ? sessions_.erase(it) : std::next(it);
    }
    sessions_[Sha256Hex(token)] = s;
  }
  log::Info("auth.login", {{"user", found->name}, {"remote", req.remote_address()}});
  res->AddHeader("Set-Cookie", std::string(kCookie) + "=" + token +
                                   "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                   std::to_string(session_micros_ / 1'000'000));
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("user", s.user);
  w.Field("role", RoleName(s.role));
  w.Field("csrf", s.csrf);
  w.EndObject();
  res->SetJson(200, out);
}

void AccessControl::Logout(const Request& req, Response* res) {
  AddSecurityHeaders(res);
  if (!CheckOrigin(req, res)) return;
  const std::string token = CookieValue(req.Header("Cookie"), kCookie);
  if (!token.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_.erase(Sha256Hex(token));
  }
  res->AddHeader("Set-Cookie",
                 std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  res->SetJson(200, R"({"signed_out":true})");
}

void AccessControl::Session(const Request& req, Response* res) {
  AddSecurityHeaders(res);
  res->AddHeader("Cache-Control", "no-store");
  Principal p;
  std::string error;
  const bool known = open_ || Identify(req, &p, &error);
  if (open_) p = {"open", Role::kAdmin, false, ""};
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("open", open_);
  w.Field("authenticated", known);
  if (known) {
    w.Field("user", p.name);
    w.Field("role", RoleName(p.role));
    w.Field("csrf", p.csrf);
  }
  w.EndObject();
  res->SetJson(200, out);
}

}  // namespace saleslake::web
