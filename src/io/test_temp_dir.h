// A fresh directory under $TMPDIR (or /tmp) for one test, removed with everything in it when the
// object goes away.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace saleslake::io {

class TestTempDir {
 public:
  TestTempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/saleslake-test-XXXXXX";
    if (::mkdtemp(templ.data()) != nullptr) path_ = templ;
  }
  ~TestTempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    // Tests may leave read-only directories behind; make them writable before removing.
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TestTempDir(const TestTempDir&) = delete;
  TestTempDir& operator=(const TestTempDir&) = delete;

  // Empty if the directory could not be created (tests ASSERT on it).
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace saleslake::io
