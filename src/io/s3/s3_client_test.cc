// Request targets, error mapping and response decoding: the parts of the client that need no
// server.
#include "io/s3/s3_client.h"

#include <gtest/gtest.h>

#include "io/s3/s3_client_internal.h"
#include "io/s3/s3_errors.h"

namespace saleslake::io::s3 {
namespace {

S3Config Aws(std::string region) {
  S3Config c;
  c.region = std::move(region);
  return c;
}

TEST(RequestTargetTest, VirtualHostedOnAwsPathStyleOnCustomEndpoints) {
  RequestTarget t = MakeRequestTarget(Aws("eu-west-1"), "sales-lake", "raw/a b.parquet", "");
  EXPECT_EQ(t.host, "sales-lake.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(t.path, "/raw/a%20b.parquet");
  EXPECT_EQ(t.url, "https://sales-lake.s3.eu-west-1.amazonaws.com/raw/a%20b.parquet");

  // Dots in a bucket name would break the TLS wildcard: path-style there.
  t = MakeRequestTarget(Aws("eu-west-1"), "sales.lake", "k", "");
  EXPECT_EQ(t.host, "s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(t.path, "/sales.lake/k");

  S3Config local;
  local.endpoint_url = "http://127.0.0.1:9000";
  local.addressing = AddressingStyle::kPath;
  t = MakeRequestTarget(local, "lake", "year=2026/x", "list-type=2");
  EXPECT_EQ(t.host, "127.0.0.1:9000");
  EXPECT_EQ(t.path, "/lake/year%3D2026/x");
  EXPECT_EQ(t.url, "http://127.0.0.1:9000/lake/year%3D2026/x?list-type=2");
  EXPECT_EQ(MakeRequestTarget(local, "lake", "", "").path, "/lake");
  EXPECT_EQ(MakeRequestTarget(local, "", "", "").path, "/");

  S3Config minio;
  minio.endpoint_url = "https://minio.example.com/storage";
  minio.addressing = AddressingStyle::kVirtualHosted;
  t = MakeRequestTarget(minio, "lake", "k", "");
  EXPECT_EQ(t.host, "lake.minio.example.com");
  EXPECT_EQ(t.path, "/storage/k");
}

TEST(RequestTargetTest, BucketNamesThatCanBeHosts) {
  EXPECT_TRUE(IsVirtualHostableBucket("sales-lake-2026"));
  EXPECT_FALSE(IsVirtualHostableBucket("ab"));
  EXPECT_FALSE(IsVirtualHostableBucket("Sales"));
  EXPECT_FALSE(IsVirtualHostableBucket("a.b.c"));
  EXPECT_FALSE(IsVirtualHostableBucket("-lake"));
}

TEST(S3ErrorsTest, ParsesErrorDocuments) {
  S3ErrorDocument e = ParseS3ErrorDocument(
      "<?xml version=\"1.0\"?><Error><Code>AuthorizationHeaderMalformed</Code><Message>wrong "
      "region</Message><Region>eu-central-1</Region><RequestId>R1</RequestId></Error>");
  EXPECT_EQ(e.code, "AuthorizationHeaderMalformed");
  EXPECT_EQ(e.region, "eu-central-1");
  EXPECT_EQ(e.request_id, "R1");
  EXPECT_EQ(ParseS3ErrorDocument("").code, "");
  EXPECT_EQ(ParseS3ErrorDocument("<html>proxy error</html>").code, "");
}

TEST(S3ErrorsTest, StatusesSayWhatHappenedAndWhatToDo) {
  S3ErrorContext ctx{"GetObject", "lake", "raw/a.parquet", "us-east-1", "the environment", {}};
  auto status = [&](long http, const char* code) {
    S3ErrorDocument e;
    e.code = code;
    return S3ErrorStatus(ctx, http, e);
  };
  Status s = status(404, "NoSuchKey");
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_NE(s.message().find("s3://lake/raw/a.parquet"), std::string::npos);
  EXPECT_EQ(status(404, "NoSuchBucket").code(), StatusCode::kNotFound);
  EXPECT_EQ(status(403, "AccessDenied").code(), StatusCode::kPermissionDenied);
  EXPECT_NE(status(403, "SignatureDoesNotMatch").message().find("the environment"),
            std::string::npos);
  EXPECT_EQ(status(403, "InvalidAccessKeyId").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(status(400, "ExpiredToken").code(), StatusCode::kPermissionDenied);
  EXPECT_NE(status(403, "RequestTimeTooSkewed").message().find("clock"), std::string::npos);
  EXPECT_EQ(status(503, "SlowDown").code(), StatusCode::kUnavailable);
  EXPECT_EQ(status(500, "InternalError").code(), StatusCode::kUnavailable);
  EXPECT_EQ(status(412, "PreconditionFailed").code(), StatusCode::kAborted);
  // HEAD has no body: the HTTP status alone still says what it is.
  EXPECT_NE(status(404, "").message().find("NoSuchKey"), std::string::npos);
  EXPECT_EQ(status(403, "").code(), StatusCode::kPermissionDenied);

  S3ErrorDocument redirect;
  redirect.code = "PermanentRedirect";
  ctx.bucket_region_header = "ap-south-1";
  Status r = S3ErrorStatus(ctx, 301, redirect);
  EXPECT_EQ(r.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.message().find("--s3-region ap-south-1"), std::string::npos) << r.message();
}

TEST(S3ErrorsTest, WhatIsRetried) {
  EXPECT_TRUE(IsRetryableS3Error(500, ""));
  EXPECT_TRUE(IsRetryableS3Error(503, "SlowDown"));
  EXPECT_TRUE(IsRetryableS3Error(429, ""));
  EXPECT_TRUE(IsRetryableS3Error(400, "RequestTimeout"));
  EXPECT_FALSE(IsRetryableS3Error(403, "AccessDenied"));
  EXPECT_FALSE(IsRetryableS3Error(404, "NoSuchKey"));
  EXPECT_FALSE(IsRetryableS3Error(400, "InvalidArgument"));
}

TEST(S3WireFormatTest, BodiesAndDecoding) {
  EXPECT_EQ(UrlDecodeListValue("a+b%3Dc%2Fd%E2%82%AC%zz"), "a b=c/d€%zz");
  EXPECT_EQ(ContentMd5(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
  std::vector<std::string> keys = {"a&b", "c"};
  EXPECT_EQ(DeleteObjectsBody(keys, 0, 2),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete><Quiet>true</Quiet><Object><Key>"
            "a&amp;b</Key></Object><Object><Key>c</Key></Object></Delete>");
  EXPECT_EQ(
      CompleteMultipartBody({{1, "\"e1\""}, {2, "\"e2\""}}),
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUpload><Part><PartNumber>"
      "1</PartNumber><ETag>&quot;e1&quot;</ETag></Part><Part><PartNumber>2</PartNumber><ETag>"
      "&quot;e2&quot;</ETag></Part></CompleteMultipartUpload>");
  EXPECT_EQ(CopySourceHeader("lake", "x=1/a b"), "lake/x%3D1/a%20b");
}

}  // namespace
}  // namespace saleslake::io::s3
