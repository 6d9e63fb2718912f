// AWS Signature Version 4 for S3 (header-based authentication).
//
// The signer works on the request exactly as it will be sent: the caller builds the encoded path
// and query once (UriEncode, CanonicalQueryString) and uses the same strings for the URL and for
// signing, so what is signed is always what goes on the wire. S3 differs from other services in
// one way that matters: the path is encoded once and never normalised ("//" and "." segments are
// part of a key), and the payload hash is sent as x-amz-content-sha256.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/hash.h"
#include "io/http_client.h"

namespace saleslake::io::s3 {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless the credentials are temporary
  // Where they came from ("environment", "profile 'dev' in ~/.aws/credentials"): error messages
  // name the source instead of any part of a key.
  std::string source;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// "UNSIGNED-PAYLOAD" and the hash of an empty body.
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Percent-encodes every byte except the unreserved A-Z a-z 0-9 - . _ ~ as %XX (upper-case hex);
// '/' is kept when `keep_slash` (object key paths) and encoded otherwise (query names and values).
std::string UriEncode(std::string_view text, bool keep_slash);

// "/" + UriEncode(key, keep_slash) for an object key; "/" for an empty key.
std::string EncodeKeyPath(std::string_view key);

// Encodes each name and value and joins them sorted by name, then value: "a=1&b=&c=x%2Fy".
// A parameter without a value is "name=" (S3's "?uploads" is signed as "uploads=").
std::string CanonicalQueryString(const QueryParams& params);

// "20130524T000000Z" for a time in microseconds since the epoch.
std::string AmzDate(int64_t unix_micros);

// Everything that goes into a signature.
struct SigningInput {
  std::string_view method;           // "GET"
  std::string_view canonical_uri;    // the encoded path, as sent
  std::string_view canonical_query;  // CanonicalQueryString of the parameters, as sent
  // Every header to sign (any case); must hold host, x-amz-date and x-amz-content-sha256.
  const std::vector<HttpHeader>* headers = nullptr;
  std::string_view payload_hash;  // hex SHA-256 of the body, or UNSIGNED-PAYLOAD
};

// Lower-case names, sorted, ';'-joined: "host;range;x-amz-content-sha256;x-amz-date".
std::string SignedHeaderNames(const std::vector<HttpHeader>& headers);
std::string CanonicalRequest(const SigningInput& input);
// "20130524/us-east-1/s3/aws4_request"
std::string CredentialScope(std::string_view date8, std::string_view region,
                            std::string_view service);
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);
Sha256Digest SigningKey(std::string_view secret_access_key, std::string_view date8,
                        std::string_view region, std::string_view service);
std::string HmacSha256Hex(const Sha256Digest& key, std::string_view data);

// The Authorization header value for `input`, signed at `amz_date` ("20130524T000000Z").
std::string AuthorizationHeader(const AwsCredentials& credentials, std::string_view region,
                                std::string_view service, std::string_view amz_date,
                                const SigningInput& input);

// Signs an S3 request in place: adds x-amz-date, x-amz-content-sha256, x-amz-security-token (when
// the credentials have a session token) and Authorization to `headers`, which must already hold
// host and every other header to sign.
void SignS3Request(const AwsCredentials& credentials, std::string_view region,
                   std::string_view amz_date, std::string_view method,
                   std::string_view canonical_uri, std::string_view canonical_query,
                   std::string_view payload_hash, std::vector<HttpHeader>* headers);

}  // namespace saleslake::io::s3
