// Private to the S3 client's .cc files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "io/s3/s3_client.h"

namespace saleslake::io::s3 {

// One S3 request as the operations describe it; Execute turns it into signed HTTP.
struct S3Client::Call {
  Call(std::string_view op, std::string_view http_method, std::string_view bucket_name,
       std::string_view object_key)
      : operation(op), method(http_method), bucket(bucket_name), key(object_key) {}

  std::string_view operation;  // "GetObject", for messages and logs
  std::string_view method;
  std::string_view bucket;
  std::string_view key;
  QueryParams query;
  std::vector<HttpHeader> headers;  // besides host and the x-amz-* that signing adds; all signed
  std::string_view body;
  std::string payload_hash;  // empty: SHA-256 of body
  size_t max_response_bytes = 64 << 20;
  size_t expected_response_bytes = 0;
  bool error_in_ok_body = false;  // a 200 may carry an <Error> (CopyObject, Complete...)
  int max_attempts = 0;           // 0: S3Config::retry.max_attempts
};

// "bucket/" + the encoded key: the value of x-amz-copy-source.
std::string CopySourceHeader(std::string_view bucket, std::string_view key);

// Reverses encoding-type=url in list responses: %XX and '+' (a space).
std::string UrlDecodeListValue(std::string_view text);

// The XML body of DeleteObjects (quiet mode) and of CompleteMultipartUpload.
std::string DeleteObjectsBody(const std::vector<std::string>& keys, size_t begin, size_t end);
std::string CompleteMultipartBody(const std::vector<CompletedPart>& parts);

// base64(MD5(body)): the Content-MD5 that DeleteObjects requires.
std::string ContentMd5(std::string_view body);

}  // namespace saleslake::io::s3
