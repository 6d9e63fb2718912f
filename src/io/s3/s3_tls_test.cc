// TLS verification: on by default, a clear error (not retried) for an untrusted certificate,
// trusted through a CA bundle, and off only when asked (--s3-no-verify-tls). The endpoint is an
// HTTPS server of ours on loopback with a certificate made here.
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "io/s3/s3_client.h"

namespace saleslake::io::s3 {
namespace {

// A self-signed certificate for IP 127.0.0.1 that is also its own CA, written as PEM files.
struct SelfSignedCertificate {
  std::string dir, cert_path, key_path;

  SelfSignedCertificate() {
    char tmpl[] = "/tmp/sl-s3-tls-XXXXXX";
    dir = mkdtemp(tmpl);
    cert_path = dir + "/cert.pem";
    key_path = dir + "/key.pem";
    EVP_PKEY* key = EVP_RSA_gen(2048);
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, key);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                              std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
      X509_add_ext(x, ext, -1);
      X509_EXTENSION_free(ext);
    }
    X509_sign(x, key, EVP_sha256());
    FILE* f = std::fopen(cert_path.c_str(), "w");
    PEM_write_X509(f, x);
    std::fclose(f);
    f = std::fopen(key_path.c_str(), "w");
    PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(x);
    EVP_PKEY_free(key);
  }
  ~SelfSignedCertificate() { std::filesystem::remove_all(dir); }
};

class S3TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<httplib::SSLServer>(cert_.cert_path.c_str(), cert_.key_path.c_str());
    ASSERT_TRUE(server_->is_valid());
    server_->Put(".*", [this](const httplib::Request&, httplib::Response& res) {
      ++requests_;
      res.set_header("ETag", "\"abc\"");
      res.status = 200;
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // bind_to_any_port already listens: connections wait in the backlog until accepted.
    config_.endpoint_url = "https://127.0.0.1:" + std::to_string(port_);
    config_.addressing = AddressingStyle::kPath;
    config_.credentials = {"AKID", "tls-test-secret", "", "test"};
    config_.retry = {3, 1, 10};
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  SelfSignedCertificate cert_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  S3Config config_;
};

TEST_F(S3TlsTest, UntrustedCertificateIsAClearErrorAndNotRetried) {
  S3Client client(config_);
  Result<std::string> put = client.PutObject("lake", "a.txt", "x");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.status().code(), StatusCode::kIOError) << put.status().ToString();
  EXPECT_NE(put.status().message().find("TLS"), std::string::npos) << put.status().message();
  EXPECT_NE(put.status().message().find("--s3-no-verify-tls"), std::string::npos);
  EXPECT_EQ(put.status().message().find("(after"), std::string::npos) << "retried";
  EXPECT_EQ(requests_.load(), 0);
}

TEST_F(S3TlsTest, CaBundleMakesTheCertificateTrusted) {
  config_.ca_bundle = cert_.cert_path;
  S3Client client(config_);
  Result<std::string> put = client.PutObject("lake", "a.txt", "x");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(*put, "\"abc\"");
  EXPECT_EQ(requests_.load(), 1);
}

TEST_F(S3TlsTest, VerificationOffOnlyWhenAsked) {
  config_.verify_tls = false;
  S3Client client(config_);
  Result<std::string> put = client.PutObject("lake", "a.txt", "x");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(requests_.load(), 1);
}

}  // namespace
}  // namespace saleslake::io::s3
