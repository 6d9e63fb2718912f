// S3Client: request targets, signing, sending with retries. The operations themselves are in
// s3_operations.cc.
#include "io/s3/s3_client.h"

#include <chrono>
#include <thread>

#include "base/clock.h"
#include "base/logging.h"
#include "io/s3/s3_client_internal.h"
#include "io/s3/s3_errors.h"

namespace saleslake::io::s3 {
namespace {

std::string ReplaceAll(std::string text, std::string_view secret) {
  if (secret.size() < 4) return text;  // too short to be a real secret; avoid mangling text
  constexpr std::string_view kMark = "[redacted]";
  for (size_t pos = text.find(secret); pos != std::string::npos;
       pos = text.find(secret, pos + kMark.size())) {
    text.replace(pos, secret.size(), kMark);
  }
  return text;
}

}  // namespace

bool IsVirtualHostableBucket(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (char c : bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return bucket.front() != '-' && bucket.back() != '-';
}

RequestTarget MakeRequestTarget(const S3Config& config, std::string_view bucket,
                                std::string_view key, std::string_view canonical_query) {
  std::string scheme = "https";
  std::string authority;
  std::string base_path;
  if (config.endpoint_url.empty()) {
    authority = "s3." + config.region + ".amazonaws.com";
  } else {
    std::string_view url = config.endpoint_url;
    size_t sep = url.find("://");
    scheme = std::string(url.substr(0, sep));
    std::string_view rest = url.substr(sep + 3);
    size_t slash = rest.find('/');
    authority = std::string(rest.substr(0, slash));
    if (slash != std::string_view::npos) base_path = std::string(rest.substr(slash));
    while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
  }
  RequestTarget t;
  bool virtual_hosted = config.addressing == AddressingStyle::kVirtualHosted && !bucket.empty() &&
                        IsVirtualHostableBucket(bucket);
  if (virtual_hosted) {
    t.host = std::string(bucket) + "." + authority;
    t.path = base_path + EncodeKeyPath(key);
  } else {
    t.host = authority;
    t.path = base_path;
    if (!bucket.empty()) t.path += "/" + UriEncode(bucket, false);
    if (!key.empty()) t.path += EncodeKeyPath(key);
    if (t.path.empty()) t.path = "/";
  }
  t.url = scheme + "://" + t.host + t.path;
  if (!canonical_query.empty()) t.url += "?" + std::string(canonical_query);
  return t;
}

S3Client::S3Client(S3Config config)
    : config_(std::move(config)),
      http_(HttpClientOptions{config_.connect_timeout_ms, config_.request_timeout_ms,
                              config_.verify_tls, config_.ca_bundle,
                              "for a test endpoint with a self-signed certificate use "
                              "--s3-no-verify-tls, or point AWS_CA_BUNDLE at its CA"}),
      rng_(std::random_device{}()) {}

S3Client::~S3Client() = default;

int64_t S3Client::BackoffDelayMs(int attempt) {
  // Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. Spreads out clients that failed
  // together instead of having them retry in lockstep.
  int64_t ceiling = config_.retry.base_delay_ms;
  for (int i = 1; i < attempt && ceiling < config_.retry.max_delay_ms; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, config_.retry.max_delay_ms);
  if (ceiling <= 0) return 0;
  std::lock_guard lock(rng_mu_);
  return std::uniform_int_distribution<int64_t>(0, ceiling)(rng_);
}

Status S3Client::Redact(const Status& status) const {
  if (status.ok()) return status;
  std::string message = ReplaceAll(status.message(), config_.credentials.secret_access_key);
  message = ReplaceAll(std::move(message), config_.credentials.session_token);
  if (message == status.message()) return status;
  return Status(status.code(), std::move(message));
}

Result<HttpResponse> S3Client::Execute(const Call& call, int* attempts_used) {
  std::string canonical_query = CanonicalQueryString(call.query);
  RequestTarget target = MakeRequestTarget(config_, call.bucket, call.key, canonical_query);
  std::string payload_hash = call.payload_hash.empty() ? Sha256Hex(call.body) : call.payload_hash;
  S3ErrorContext context{
      call.operation, call.bucket, call.key, config_.region, config_.credentials.source, {}};

  const int max_attempts =
      std::max(1, call.max_attempts > 0 ? call.max_attempts : config_.retry.max_attempts);
  Status last;
  int tries = 0;
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    tries = attempt;
    if (attempts_used) *attempts_used = attempt;
    HttpRequest request;
    request.method = call.method;
    request.url = target.url;
    request.body = call.body;
    request.max_response_bytes = call.max_response_bytes;
    request.expected_response_bytes = call.expected_response_bytes;
    request.headers.push_back({"host", target.host});
    for (const HttpHeader& h : call.headers) request.headers.push_back(h);
    SignS3Request(config_.credentials, config_.region, AmzDate(NowMicros()), call.method,
                  target.path, canonical_query, payload_hash, &request.headers);

    int64_t start = MonotonicMicros();
    TransportFailure failure = TransportFailure::kNone;
    Result<HttpResponse> sent = http_.Send(request, &failure);
    bool retryable;
    std::string reason;
    if (sent.ok()) {
      HttpResponse& response = *sent;
      log::Debug("s3.request", {{"op", call.operation},
                                {"bucket", call.bucket},
                                {"key", call.key},
                                {"status", response.status},
                                {"attempt", attempt},
                                {"ms", (MonotonicMicros() - start) / 1000}});
      S3ErrorDocument error;
      bool failed = response.status < 200 || response.status >= 300;
      if (!failed && call.error_in_ok_body) {
        // CopyObject and CompleteMultipartUpload can fail after sending "200 OK".
        error = ParseS3ErrorDocument(response.body);
        failed = !error.code.empty();
      } else if (failed) {
        error = ParseS3ErrorDocument(response.body);
      }
      if (!failed) return std::move(response);
      const std::string* region_header = response.Header("x-amz-bucket-region");
      if (region_header) context.bucket_region_header = *region_header;
      last = Redact(S3ErrorStatus(context, response.status, error));
      retryable = IsRetryableS3Error(response.status, error.code);
      reason =
          "HTTP " + std::to_string(response.status) + (error.code.empty() ? "" : " ") + error.code;
    } else {
      retryable = failure == TransportFailure::kConnect || failure == TransportFailure::kTimeout ||
                  failure == TransportFailure::kBroken;
      last = Redact(sent.status().WithContext("S3 " + std::string(call.operation) + " " +
                                              S3Location(call.bucket, call.key)));
      reason = std::string(StatusCodeName(sent.status().code()));
    }
    if (!retryable || attempt == max_attempts) break;
    int64_t delay_ms = BackoffDelayMs(attempt);
    log::Warn("s3.retry", {{"op", call.operation},
                           {"bucket", call.bucket},
                           {"key", call.key},
                           {"attempt", attempt},
                           {"reason", reason},
                           {"delay_ms", delay_ms}});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  }
  if (tries > 1) {
    return Status(last.code(), last.message() + " (after " + std::to_string(tries) + " attempts)");
  }
  return last;
}

}  // namespace saleslake::io::s3
