// S3's answers that are not successes, turned into a Status a person can act on.
//
// The message names the operation and the object ("S3 GetObject s3://bucket/key"), S3's own
// code and message and request id, and — for the codes people meet — what to do. The status code
// follows the meaning (NoSuchKey → NotFound, AccessDenied → PermissionDenied, SlowDown →
// Unavailable), so callers branch on it without reading S3 codes.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace saleslake::io::s3 {

// The parts of an S3 <Error> document we use.
struct S3ErrorDocument {
  std::string code;  // "NoSuchKey"; empty when the body held no <Error>
  std::string message;
  std::string request_id;
  std::string region;  // <Region> of AuthorizationHeaderMalformed / PermanentRedirect
};

// Parses an <Error> body; an unparsable or empty body gives an empty document.
S3ErrorDocument ParseS3ErrorDocument(std::string_view body);

// What was being done, for messages.
struct S3ErrorContext {
  std::string_view operation;  // "GetObject"
  std::string_view bucket;
  std::string_view key;     // may be empty
  std::string_view region;  // the region we signed for
  std::string_view credentials_source;
  std::string_view bucket_region_header;  // x-amz-bucket-region of the response, if any
};

// "s3://bucket/key" (or "s3://bucket").
std::string S3Location(std::string_view bucket, std::string_view key);

// The Status for an error response (HTTP status >= 300, or a 200 whose body is an <Error>, which
// CopyObject and CompleteMultipartUpload can return).
Status S3ErrorStatus(const S3ErrorContext& context, long http_status, const S3ErrorDocument& error);

// True for answers worth trying again: 5xx, 429, and the throttling/transient codes (SlowDown,
// InternalError, RequestTimeout, ...), whatever the HTTP status.
bool IsRetryableS3Error(long http_status, std::string_view code);

}  // namespace saleslake::io::s3
