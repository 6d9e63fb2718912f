#include "io/s3/s3_errors.h"

#include "io/s3/xml.h"

namespace saleslake::io::s3 {
namespace {

Status Make(StatusCode code, std::string message) { return Status(code, std::move(message)); }

}  // namespace

S3ErrorDocument ParseS3ErrorDocument(std::string_view body) {
  S3ErrorDocument doc;
  if (body.empty()) return doc;
  XmlLimits limits;
  limits.max_bytes = 1 << 20;
  Result<XmlElement> root = ParseXml(body, limits);
  if (!root.ok() || root->name != "Error") return doc;
  doc.code = root->ChildText("Code");
  doc.message = root->ChildText("Message");
  doc.request_id = root->ChildText("RequestId");
  doc.region = root->ChildText("Region");
  return doc;
}

std::string S3Location(std::string_view bucket, std::string_view key) {
  std::string out = "s3://";
  out.append(bucket);
  if (!key.empty()) out.append("/").append(key);
  return out;
}

bool IsRetryableS3Error(long http_status, std::string_view code) {
  if (http_status >= 500 || http_status == 429) return true;
  return code == "SlowDown" || code == "InternalError" || code == "ServiceUnavailable" ||
         code == "RequestTimeout" || code == "Throttling" || code == "ThrottlingException" ||
         code == "RequestLimitExceeded" || code == "TooManyRequests";
}

Status S3ErrorStatus(const S3ErrorContext& ctx, long http_status, const S3ErrorDocument& error) {
  std::string where = "S3 " + std::string(ctx.operation) + " " + S3Location(ctx.bucket, ctx.key);
  std::string code = error.code;
  // HEAD responses have no body: name the code S3 would have sent.
  if (code.empty()) {
    if (http_status == 404) code = ctx.key.empty() ? "NoSuchBucket" : "NoSuchKey";
    if (http_status == 403) code = "AccessDenied";
    if (http_status == 301) code = "PermanentRedirect";
  }
  std::string detail = "HTTP " + std::to_string(http_status);
  if (!code.empty()) detail += " " + code;
  if (!error.message.empty()) detail += ": " + error.message;
  if (!error.request_id.empty()) detail += " (request id " + error.request_id + ")";
  std::string head = where + " failed: " + detail;
  std::string creds = ctx.credentials_source.empty()
                          ? std::string()
                          : " (credentials from " + std::string(ctx.credentials_source) + ")";

  if (code == "NoSuchBucket") {
    return Status::NotFound(head + "; bucket '" + std::string(ctx.bucket) +
                            "' does not exist at this endpoint: create it or fix the lake URI");
  }
  if (code == "NoSuchKey" || code == "NotFound") {
    return Status::NotFound(where + ": no such object (" + detail + ")");
  }
  if (code == "NoSuchUpload") {
    return Status::NotFound(head + "; the multipart upload was aborted or completed already");
  }
  if (code == "AccessDenied" || code == "AllAccessDisabled" || code == "AccountProblem") {
    return Status::PermissionDenied(head + "; the credentials" + creds +
                                    " are not allowed to do this: check their policy");
  }
  if (code == "SignatureDoesNotMatch") {
    return Status::PermissionDenied(head + "; the secret access key" + creds +
                                    " does not match the access key id: check "
                                    "AWS_SECRET_ACCESS_KEY or the profile");
  }
  if (code == "InvalidAccessKeyId") {
    return Status::PermissionDenied(head + "; the access key id" + creds +
                                    " is unknown to this endpoint: check the credentials and "
                                    "--s3-endpoint");
  }
  if (code == "ExpiredToken" || code == "InvalidToken" || code == "TokenRefreshRequired") {
    return Status::PermissionDenied(head + "; the session token" + creds +
                                    " has expired or is invalid: get fresh credentials");
  }
  if (code == "RequestTimeTooSkewed") {
    return Status::PermissionDenied(head +
                                    "; this machine's clock is off by more than 15 "
                                    "minutes: fix the clock (NTP)");
  }
  if (code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" ||
      code == "IllegalLocationConstraintException") {
    std::string right =
        !error.region.empty() ? error.region : std::string(ctx.bucket_region_header);
    if (!right.empty() && right != ctx.region) {
      return Status::InvalidArgument(head + "; bucket '" + std::string(ctx.bucket) +
                                     "' is in region " + right + ", not " +
                                     std::string(ctx.region) + ": use --s3-region " + right);
    }
    return Status::InvalidArgument(head + "; check --s3-region and --s3-endpoint");
  }
  if (code == "InvalidBucketName") {
    return Status::InvalidArgument(head + "; '" + std::string(ctx.bucket) +
                                   "' is not a valid bucket name");
  }
  if (code == "SlowDown" || code == "ServiceUnavailable" || code == "Throttling" ||
      http_status == 503 || http_status == 429) {
    return Status::Unavailable(head + "; S3 is throttling or unavailable: try again later");
  }
  if (http_status >= 500 || code == "InternalError") return Status::Unavailable(head);
  if (code == "PreconditionFailed" || http_status == 412) {
    return Make(StatusCode::kAborted, head + "; the object changed while it was being read");
  }
  if (code == "InvalidRange" || http_status == 416) return Status::InvalidArgument(head);
  if (code == "EntityTooLarge") return Status::ResourceExhausted(head);
  if (http_status == 404) return Status::NotFound(head);
  if (http_status == 403) return Status::PermissionDenied(head);
  return Status::IOError(head);
}

}  // namespace saleslake::io::s3
