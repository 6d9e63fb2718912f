#include "auth/credentials.h"

#include <gtest/gtest.h>

#include "auth/scram.h"

namespace saleslake::auth {
namespace {

TEST(CredentialsTest, PasswordsAreSaltedAndVerified) {
  const std::string a = HashPassword("correct horse", 1000);
  const std::string b = HashPassword("correct horse", 1000);
  EXPECT_NE(a, b);  // random salt
  EXPECT_TRUE(a.starts_with("pbkdf2-sha256$1000$"));
  EXPECT_TRUE(VerifyPassword("correct horse", a));
  EXPECT_FALSE(VerifyPassword("correct horsf", a));
  EXPECT_FALSE(VerifyPassword("correct horse", "pbkdf2-sha256$1000$bad"));
  EXPECT_FALSE(VerifyPassword("x", "plain"));
}

TEST(CredentialsTest, ApiKeysAreStoredAsSha256) {
  auto [key, hash] = NewApiKey();
  EXPECT_TRUE(key.starts_with("slk_"));
  EXPECT_EQ(hash, Sha256Hex(key));
  EXPECT_EQ(hash.size(), 64u);
}

TEST(CredentialsTest, ConfigurationErrorsSayWhatIsWrong) {
  auto err = [](std::string_view json) {
    auto r = Credentials::FromJson(json, "auth.json");
    return r.ok() ? std::string("ok") : r.status().message();
  };
  EXPECT_NE(err("{}").find("no users and no api_keys"), std::string::npos);
  EXPECT_NE(err("[").find("not valid JSON"), std::string::npos);
  EXPECT_NE(err(R"({"users":[{"name":"a","role":"boss","password_hash":"pbkdf2-sha256$1$a$b"}]})")
                .find("role 'boss'"),
            std::string::npos);
  EXPECT_NE(err(R"({"users":[{"name":"a","role":"viewer","password_hash":"secret"}]})")
                .find("--hash-password"),
            std::string::npos);
  EXPECT_NE(err(R"({"api_keys":[{"name":"k","role":"viewer","key_sha256":"abc"}]})")
                .find("64 lower-case hex"),
            std::string::npos);
  EXPECT_NE(err(R"({"api_keys":[], "colour": 1})").find("unknown field \"colour\""),
            std::string::npos);
  const std::string good =
      R"({"api_keys":[{"name":"k","role":"admin","key_sha256":")" + Sha256Hex("x") + "\"}]}";
  EXPECT_EQ(err(good), "ok");
}

TEST(CredentialsTest, RolesParse) {
  EXPECT_EQ(ParseRole("analyst").value(), Role::kAnalyst);
  EXPECT_FALSE(ParseRole("root").ok());
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
}

// A full SCRAM-SHA-256 exchange against the dashboard's stored hash, as libpq runs it.
TEST(CredentialsTest, ScramSignsInWithTheStoredPasswordHash) {
  const std::string stored = HashPassword("correct horse", 1000);
  auto run = [&](std::string_view password) -> Result<std::string> {
    ScramServer server(ParsePasswordHash(stored));
    const std::string first_bare = "n=,r=clientnonce";
    SL_ASSIGN_OR_RETURN(std::string server_first, server.ClientFirst("n,," + first_bare));
    const std::string nonce = server_first.substr(2, server_first.find(',') - 2);
    EXPECT_TRUE(nonce.starts_with("clientnonce"));
    const std::string without_proof = "c=biws,r=" + nonce;
    const std::string auth_message = first_bare + "," + server_first + "," + without_proof;
    PasswordHash salt = *ParsePasswordHash(stored);
    return server.ClientFinal(without_proof +
                              ",p=" + ScramClientProof(password, salt, auth_message));
  };
  Result<std::string> ok = run("correct horse");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_TRUE(ok->starts_with("v="));
  EXPECT_FALSE(run("correct horsf").ok());
  // An unknown user fails at the proof, like a wrong password.
  ScramServer nobody(std::nullopt);
  EXPECT_TRUE(nobody.ClientFirst("n,,n=,r=abc").ok());
  EXPECT_FALSE(nobody.ClientFinal("c=biws,r=abcdef,p=AAAA").ok());
  // Channel binding is refused rather than silently dropped.
  ScramServer plus(ParsePasswordHash(stored));
  EXPECT_FALSE(plus.ClientFirst("p=tls-server-end-point,,n=,r=abc").ok());
}

}  // namespace
}  // namespace saleslake::auth
