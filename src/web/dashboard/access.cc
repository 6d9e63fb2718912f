#include "web/dashboard/access.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
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

std::string Base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(len));
  return out;
}

Result<std::string> Unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > 1024) {
    return Status::InvalidArgument("bad base64");
  }
  std::string out(text.size() / 4 * 3, '\0');
  int len = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
  if (len < 0) return Status::InvalidArgument("bad base64");
  size_t pad = 0;
  if (text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(len) - pad);
  return out;
}

std::string RandomToken(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    // Without randomness no session or key may be made; this never happens on Linux.
    std::abort();
  }
  std::string b = Base64(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  // base64url without padding: safe in cookies and headers.
  std::replace(b.begin(), b.end(), '+', '-');
  std::replace(b.begin(), b.end(), '/', '_');
  b.erase(std::remove(b.begin(), b.end(), '='), b.end());
  return b;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

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

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string HashPassword(std::string_view password, int iterations) {
  unsigned char salt[16];
  if (RAND_bytes(salt, sizeof(salt)) != 1) std::abort();
  unsigned char hash[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt, sizeof(salt),
                    iterations, EVP_sha256(), sizeof(hash), hash);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + Base64(salt, sizeof(salt)) + "$" +
         Base64(hash, sizeof(hash));
}

bool VerifyPassword(std::string_view password, std::string_view stored) {
  std::vector<std::string_view> parts;
  while (true) {
    size_t d = stored.find('$');
    parts.push_back(stored.substr(0, d));
    if (d == std::string_view::npos) break;
    stored.remove_prefix(d + 1);
  }
  if (parts.size() != 4 || parts[0] != "pbkdf2-sha256") return false;
  int iterations = 0;
  for (char c : parts[1]) {
    if (c < '0' || c > '9' || iterations > 10'000'000) return false;
    iterations = iterations * 10 + (c - '0');
  }
  Result<std::string> salt = Unbase64(parts[2]);
  Result<std::string> expected = Unbase64(parts[3]);
  if (iterations < 1000 || !salt.ok() || !expected.ok() || expected->empty()) return false;
  std::string got(expected->size(), '\0');
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt->data()),
                    static_cast<int>(salt->size()), iterations, EVP_sha256(),
                    static_cast<int>(got.size()), reinterpret_cast<unsigned char*>(got.data()));
  return ConstantTimeEqual(got, *expected);
}

std::pair<std::string, std::string> NewApiKey() {
  std::string key = "slk_" + RandomToken(32);
  return {key, Sha256Hex(key)};
}

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

Result<std::unique_ptr<AccessControl>> AccessControl::FromJson(std::string_view json,
                                                               std::string_view where) {
  std::unique_ptr<AccessControl> a(new AccessControl());
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
          a->users_.push_back({std::string(name), std::string(secret), *role});
        } else {
          if (secret.size() != 64 ||
              secret.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
            return bad(at +
                       ": key_sha256 must be 64 lower-case hex digits (saleslake serve "
                       "--new-api-key prints a key and its hash)");
          }
          a->keys_.push_back({std::string(name), std::string(secret), *role});
        }
      }
    } else if (key == "rate_limit_per_minute" || key == "session_hours") {
      int64_t v = 0;
      if (kv.value.get_int64().get(v) || v < 1 || v > 1'000'000) {
        return bad("\"" + key + "\" must be an integer from 1 to 1000000");
      }
      if (key == "rate_limit_per_minute") {
        a->rate_per_minute_ = static_cast<int>(v);
      } else {
        a->session_micros_ = v * 3600 * 1'000'000;
      }
    } else {
      return bad("unknown field \"" + key +
                 "\" (known: users, api_keys, rate_limit_per_minute, session_hours)");
    }
  }
  if (a->users_.empty() && a->keys_.empty()) return bad("no users and no api_keys");
  return a;
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
    const std::string hash = Sha256Hex(key);
    for (const Key& k : keys_) {
      if (ConstantTimeEqual(hash, k.sha256)) {
        *who = {k.name, k.role, false, ""};
        return true;
      }
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
  const User* found = nullptr;
  for (const User& u : users_) {
    if (u.name == user) found = &u;
  }
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
