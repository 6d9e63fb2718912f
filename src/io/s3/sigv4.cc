#include "io/s3/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdio>

#include "base/clock.h"
#include "base/strings.h"

namespace saleslake::io::s3 {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// A header value as SigV4 canonicalises it: leading and trailing spaces removed, and every run of
// spaces inside collapsed to one.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool in_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

// (lower-case name, canonical value) pairs sorted by name; repeated names joined with ','.
std::vector<std::pair<std::string, std::string>> CanonicalHeaders(
    const std::vector<HttpHeader>& headers) {
  std::vector<std::pair<std::string, std::string>> sorted;
  sorted.reserve(headers.size());
  for (const HttpHeader& h : headers) {
    std::string name(h.name.size(), '\0');
    std::transform(h.name.begin(), h.name.end(), name.begin(), AsciiLower);
    sorted.emplace_back(std::move(name), CanonicalHeaderValue(h.value));
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string, std::string>> merged;
  for (auto& [name, value] : sorted) {
    if (!merged.empty() && merged.back().first == name) {
      merged.back().second += ',';
      merged.back().second += value;
    } else {
      merged.emplace_back(std::move(name), std::move(value));
    }
  }
  return merged;
}

Sha256Digest Hmac(std::string_view key, std::string_view data) {
  Sha256Digest out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return out;
}

std::string_view AsView(const Sha256Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace

std::string UriEncode(std::string_view text, bool keep_slash) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string EncodeKeyPath(std::string_view key) { return "/" + UriEncode(key, true); }

std::string CanonicalQueryString(const QueryParams& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& [name, value] : params) {
    encoded.emplace_back(UriEncode(name, false), UriEncode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::string AmzDate(int64_t unix_micros) {
  int64_t seconds = unix_micros / 1'000'000;
  if (unix_micros < 0 && seconds * 1'000'000 != unix_micros) --seconds;
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  CivilDate d = CivilFromDays(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", d.year, d.month, d.day,
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

std::string SignedHeaderNames(const std::vector<HttpHeader>& headers) {
  std::string out;
  for (const auto& [name, value] : CanonicalHeaders(headers)) {
    if (!out.empty()) out.push_back(';');
    out += name;
  }
  return out;
}

std::string CanonicalRequest(const SigningInput& input) {
  static const std::vector<HttpHeader> kNoHeaders;
  const std::vector<HttpHeader>& headers = input.headers ? *input.headers : kNoHeaders;
  std::string out;
  out.reserve(512);
  out.append(input.method).push_back('\n');
  out.append(input.canonical_uri.empty() ? "/" : input.canonical_uri).push_back('\n');
  out.append(input.canonical_query).push_back('\n');
  std::string names;
  for (const auto& [name, value] : CanonicalHeaders(headers)) {
    out.append(name).append(":").append(value).push_back('\n');
    if (!names.empty()) names.push_back(';');
    names += name;
  }
  out.push_back('\n');
  out.append(names).push_back('\n');
  out.append(input.payload_hash);
  return out;
}

std::string CredentialScope(std::string_view date8, std::string_view region,
                            std::string_view service) {
  std::string out;
  out.append(date8).append("/").append(region).append("/").append(service).append("/aws4_request");
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out = "AWS4-HMAC-SHA256\n";
  out.append(amz_date).push_back('\n');
  out.append(scope).push_back('\n');
  out += Sha256Hex(canonical_request);
  return out;
}

Sha256Digest SigningKey(std::string_view secret_access_key, std::string_view date8,
                        std::string_view region, std::string_view service) {
  std::string seed = "AWS4";
  seed.append(secret_access_key);
  Sha256Digest k_date = Hmac(seed, date8);
  // The secret is not kept around longer than needed.
  std::fill(seed.begin(), seed.end(), '\0');
  Sha256Digest k_region = Hmac(AsView(k_date), region);
  Sha256Digest k_service = Hmac(AsView(k_region), service);
  return Hmac(AsView(k_service), "aws4_request");
}

std::string HmacSha256Hex(const Sha256Digest& key, std::string_view data) {
  return HexEncode(Hmac(AsView(key), data));
}

std::string AuthorizationHeader(const AwsCredentials& credentials, std::string_view region,
                                std::string_view service, std::string_view amz_date,
                                const SigningInput& input) {
  std::string_view date8 = amz_date.substr(0, 8);
  std::string scope = CredentialScope(date8, region, service);
  std::string string_to_sign = StringToSign(amz_date, scope, CanonicalRequest(input));
  Sha256Digest key = SigningKey(credentials.secret_access_key, date8, region, service);
  std::string out = "AWS4-HMAC-SHA256 Credential=";
  out.append(credentials.access_key_id).append("/").append(scope);
  out.append(",SignedHeaders=").append(SignedHeaderNames(*input.headers));
  out.append(",Signature=").append(HmacSha256Hex(key, string_to_sign));
  return out;
}

void SignS3Request(const AwsCredentials& credentials, std::string_view region,
                   std::string_view amz_date, std::string_view method,
                   std::string_view canonical_uri, std::string_view canonical_query,
                   std::string_view payload_hash, std::vector<HttpHeader>* headers) {
  headers->push_back({"x-amz-date", std::string(amz_date)});
  headers->push_back({"x-amz-content-sha256", std::string(payload_hash)});
  if (!credentials.session_token.empty()) {
    headers->push_back({"x-amz-security-token", credentials.session_token});
  }
  SigningInput input{method, canonical_uri, canonical_query, headers, payload_hash};
  std::string authorization = AuthorizationHeader(credentials, region, "s3", amz_date, input);
  headers->push_back({"Authorization", std::move(authorization)});
}

}  // namespace saleslake::io::s3
