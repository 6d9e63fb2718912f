#include "web/dashboard/access.h"

#include <gtest/gtest.h>

namespace saleslake::web {
namespace {

TEST(AccessTest, PasswordsAreSaltedAndVerified) {
  const std::string a = HashPassword("correct horse", 1000);
  const std::string b = HashPassword("correct horse", 1000);
  EXPECT_NE(a, b);  // random salt
  EXPECT_TRUE(a.starts_with("pbkdf2-sha256$1000$"));
  EXPECT_TRUE(VerifyPassword("correct horse", a));
  EXPECT_FALSE(VerifyPassword("correct horsf", a));
  EXPECT_FALSE(VerifyPassword("correct horse", "pbkdf2-sha256$1000$bad"));
  EXPECT_FALSE(VerifyPassword("x", "plain"));
}

TEST(AccessTest, ApiKeysAreStoredAsSha256) {
  auto [key, hash] = NewApiKey();
  EXPECT_TRUE(key.starts_with("slk_"));
  EXPECT_EQ(hash, Sha256Hex(key));
  EXPECT_EQ(hash.size(), 64u);
}

TEST(AccessTest, ConfigurationErrorsSayWhatIsWrong) {
  auto err = [](std::string_view json) {
    auto r = AccessControl::FromJson(json, "auth.json");
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

TEST(AccessTest, RolesParse) {
  EXPECT_EQ(ParseRole("analyst").value(), Role::kAnalyst);
  EXPECT_FALSE(ParseRole("root").ok());
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
}

}  // namespace
}  // namespace saleslake::web
