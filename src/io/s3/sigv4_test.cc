// The signer against references: the S3 examples of AWS's SigV4 documentation, and requests
// built and signed offline by botocore (tests/s3/sigv4_vectors.jsonl, see make_sigv4_vectors.py).
#include "io/s3/sigv4.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "io/s3/s3_client.h"
#include "io/s3/s3_client_internal.h"

namespace saleslake::io::s3 {
namespace {

// The example account of the AWS documentation.
AwsCredentials ExampleCredentials() {
  return {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", "example"};
}

constexpr char kExampleDate[] = "20130524T000000Z";
constexpr char kExampleHost[] = "examplebucket.s3.amazonaws.com";

std::string SignatureOf(std::string_view authorization) {
  size_t at = authorization.find("Signature=");
  return at == std::string_view::npos ? "" : std::string(authorization.substr(at + 10));
}

std::string Sign(std::string_view method, std::string_view path, const QueryParams& query,
                 std::vector<HttpHeader> headers, std::string_view payload_hash) {
  headers.push_back({"host", kExampleHost});
  SignS3Request(ExampleCredentials(), "us-east-1", kExampleDate, method, path,
                CanonicalQueryString(query), payload_hash, &headers);
  return headers.back().value;
}

TEST(SigV4Test, AwsExampleGetObjectWithRange) {
  std::vector<HttpHeader> headers = {{"Host", kExampleHost},
                                     {"Range", "bytes=0-9"},
                                     {"x-amz-content-sha256", std::string(kEmptyPayloadSha256)},
                                     {"x-amz-date", kExampleDate}};
  SigningInput input{"GET", "/test.txt", "", &headers, kEmptyPayloadSha256};
  std::string canonical = CanonicalRequest(input);
  EXPECT_EQ(
      canonical,
      "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
      "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(StringToSign(kExampleDate, CredentialScope("20130524", "us-east-1", "s3"), canonical),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(AuthorizationHeader(ExampleCredentials(), "us-east-1", "s3", kExampleDate, input),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  // The same through the request signer, which adds the x-amz headers itself.
  EXPECT_EQ(
      SignatureOf(Sign("GET", "/test.txt", {}, {{"range", "bytes=0-9"}}, kEmptyPayloadSha256)),
      "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4Test, AwsExamplePutObject) {
  std::string body = "Welcome to Amazon S3.";
  std::string hash = Sha256Hex(body);
  EXPECT_EQ(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  // The key "test$file.text" is encoded once: '$' becomes %24.
  EXPECT_EQ(EncodeKeyPath("test$file.text"), "/test%24file.text");
  std::string auth = Sign(
      "PUT", EncodeKeyPath("test$file.text"), {},
      {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
      hash);
  EXPECT_NE(auth.find("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;"
                      "x-amz-storage-class,"),
            std::string::npos);
  EXPECT_EQ(SignatureOf(auth), "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4Test, AwsExampleGetBucketLifecycle) {
  EXPECT_EQ(CanonicalQueryString({{"lifecycle", ""}}), "lifecycle=");
  EXPECT_EQ(SignatureOf(Sign("GET", "/", {{"lifecycle", ""}}, {}, kEmptyPayloadSha256)),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4Test, AwsExampleListObjects) {
  QueryParams query = {{"prefix", "J"}, {"max-keys", "2"}};  // sorted by the signer
  EXPECT_EQ(CanonicalQueryString(query), "max-keys=2&prefix=J");
  EXPECT_EQ(SignatureOf(Sign("GET", "/", query, {}, kEmptyPayloadSha256)),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4Test, SigningKeyOfTheAwsExample) {
  EXPECT_EQ(HexEncode(SigningKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524",
                                 "us-east-1", "s3")),
            "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378");
}

TEST(SigV4Test, UriEncodeKeepsOnlyUnreservedBytes) {
  EXPECT_EQ(UriEncode("AZaz09-._~", false), "AZaz09-._~");
  EXPECT_EQ(UriEncode("year=2026/a b+c", true), "year%3D2026/a%20b%2Bc");
  EXPECT_EQ(UriEncode("year=2026/a b+c", false), "year%3D2026%2Fa%20b%2Bc");
  EXPECT_EQ(UriEncode("café €", true), "caf%C3%A9%20%E2%82%AC");
  EXPECT_EQ(UriEncode("100%", true), "100%25");  // never decoded first: no double meaning
  EXPECT_EQ(UriEncode("!*'();:@&=+$,?#[]", true),
            "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23%5B%5D");
  EXPECT_EQ(EncodeKeyPath(""), "/");
  EXPECT_EQ(EncodeKeyPath("a//b/"), "/a//b/");  // S3 keys are not normalised
}

TEST(SigV4Test, QueryIsSortedByEncodedNameThenValue) {
  EXPECT_EQ(CanonicalQueryString({{"b", "2"}, {"a", "x y"}, {"a", "/"}, {"uploads", ""}}),
            "a=%2F&a=x%20y&b=2&uploads=");
  EXPECT_EQ(CanonicalQueryString({}), "");
}

TEST(SigV4Test, HeaderValuesAreTrimmedAndNamesLowerCased) {
  std::vector<HttpHeader> headers = {
      {"X-Amz-Meta-A", "  two   spaces  "}, {"Host", "h"}, {"x-amz-meta-a", "second"}};
  SigningInput input{"GET", "/", "", &headers, kEmptyPayloadSha256};
  EXPECT_EQ(CanonicalRequest(input),
            "GET\n/\n\nhost:h\nx-amz-meta-a:two spaces,second\n\nhost;x-amz-meta-a\n" +
                std::string(kEmptyPayloadSha256));
  EXPECT_EQ(SignedHeaderNames(headers), "host;x-amz-meta-a");
}

TEST(SigV4Test, AmzDate) {
  EXPECT_EQ(AmzDate(0), "19700101T000000Z");
  EXPECT_EQ(AmzDate(1369353600LL * 1000000), "20130524T000000Z");
  EXPECT_EQ(AmzDate(1795602001LL * 1000000 + 999999),
            "20261125T102001Z");  // date -u -d @1795602001
}

TEST(SigV4Test, SessionTokenIsSignedAndSent) {
  AwsCredentials creds = ExampleCredentials();
  creds.session_token = "token/with+chars==";
  std::vector<HttpHeader> headers = {{"host", kExampleHost}};
  SignS3Request(creds, "us-east-1", kExampleDate, "GET", "/k", "", kEmptyPayloadSha256, &headers);
  std::map<std::string, std::string> by_name;
  for (const auto& h : headers) by_name[h.name] = h.value;
  EXPECT_EQ(by_name["x-amz-security-token"], "token/with+chars==");
  EXPECT_NE(by_name["Authorization"].find("x-amz-security-token"), std::string::npos);
  // The secret itself is never part of anything sent.
  for (const auto& h : headers) EXPECT_EQ(h.value.find(creds.secret_access_key), std::string::npos);
}

// --- botocore reference vectors -------------------------------------------------------------

std::string Field(simdjson::dom::element v, const char* name) {
  return std::string(std::string_view(v[name]));
}

std::string Compact(std::string_view authorization) {
  std::string out;
  for (size_t i = 0; i < authorization.size(); ++i) {
    if (authorization[i] == ' ' && i > 0 && authorization[i - 1] == ',') continue;
    out.push_back(authorization[i]);
  }
  return out;
}

TEST(SigV4Test, MatchesBotocoreReferenceVectors) {
  const char* source_dir = std::getenv("SALESLAKE_SOURCE_DIR");
  ASSERT_NE(source_dir, nullptr) << "SALESLAKE_SOURCE_DIR is not set (ctest sets it)";
  std::string path = std::string(source_dir) + "/tests/s3/sigv4_vectors.jsonl";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  simdjson::dom::parser parser;
  std::string line;
  int checked = 0;
  std::map<std::string, int> signers;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    simdjson::dom::element v = parser.parse(line);
    std::string name = Field(v, "name");
    SCOPED_TRACE(name + " (" + Field(v, "signer") + ")");
    ++signers[Field(v, "signer")];

    S3Config config;
    config.region = Field(v, "region");
    std::string endpoint = Field(v, "endpoint");
    config.endpoint_url = endpoint.find("amazonaws.com") == std::string::npos ? endpoint : "";
    config.addressing = Field(v, "addressing") == "virtual" ? AddressingStyle::kVirtualHosted
                                                            : AddressingStyle::kPath;
    config.credentials = {Field(v, "access_key_id"), Field(v, "secret_access_key"),
                          Field(v, "session_token"), "test"};
    QueryParams query;
    for (simdjson::dom::element pair : v["query"].get_array()) {
      query.emplace_back(std::string(std::string_view(pair.at(0))),
                         std::string(std::string_view(pair.at(1))));
    }
    std::string canonical_query = CanonicalQueryString(query);
    RequestTarget target =
        MakeRequestTarget(config, Field(v, "bucket"), Field(v, "key"), canonical_query);
    // The key is encoded exactly as botocore puts it on the wire.
    EXPECT_EQ(target.path, Field(v, "path"));

    std::vector<HttpHeader> headers;
    std::string amz_date;
    for (auto [header, value] : v["signed_headers"].get_object()) {
      std::string h(header);
      std::string val{std::string_view(value)};
      if (h == "host") {
        EXPECT_EQ(target.host, val);
        headers.push_back({h, target.host});
      } else if (h == "x-amz-date") {
        amz_date = val;
      } else if (h == "x-amz-copy-source") {
        EXPECT_EQ(CopySourceHeader(Field(v, "copy_source_bucket"), Field(v, "copy_source_key")),
                  val);
        headers.push_back({h, val});
      } else if (h != "x-amz-content-sha256" && h != "x-amz-security-token") {
        headers.push_back({h, val});
      }
    }
    std::string payload_hash = Field(v, "payload_hash");
    if (payload_hash != kUnsignedPayload) {
      EXPECT_EQ(payload_hash, std::string_view(v["body_sha256"]));
    }
    SignS3Request(config.credentials, config.region, amz_date, Field(v, "method"), target.path,
                  canonical_query, payload_hash, &headers);
    EXPECT_EQ(Compact(headers.back().value), Compact(Field(v, "authorization")));
    ++checked;
  }
  EXPECT_GE(checked, 17);
  EXPECT_GE(signers.size(), 1u);
}

}  // namespace
}  // namespace saleslake::io::s3
