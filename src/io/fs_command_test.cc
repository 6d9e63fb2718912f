// Runs the built saleslake binary (SALESLAKE_BINARY) as a person would: `saleslake fs ...` on a
// temporary directory.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/path.h"
#include "io/test_temp_dir.h"

extern char** environ;

namespace saleslake::io {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class FsCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("SALESLAKE_BINARY");
    if (bin == nullptr || !std::filesystem::exists(bin)) {
      GTEST_SKIP() << "SALESLAKE_BINARY is not set to a built saleslake binary";
    }
    binary_ = bin;
    ASSERT_FALSE(dir_.path().empty());
    root_ = dir_.path();
  }

  // Runs `saleslake fs ARGS...` in the temporary directory, with `stdin_data` as input.
  Outcome Fs(const std::vector<std::string>& args, const std::string& stdin_data = "") {
    std::string in = root_ + "/.stdin", out = root_ + "/.stdout", err = root_ + "/.stderr";
    std::ofstream(in, std::ios::binary) << stdin_data;
    std::string cmd = "cd " + Quote(root_) + " && " + Quote(binary_) + " fs";
    for (const std::string& a : args) cmd += " " + Quote(a);
    cmd += " <" + Quote(in) + " >" + Quote(out) + " 2>" + Quote(err);
    int status = std::system(cmd.c_str());
    Outcome o;
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o.out = ReadAll(out);
    o.err = ReadAll(err);
    std::filesystem::remove(in);
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return o;
  }

  void WriteLocal(const std::string& rel, const std::string& data) {
    std::filesystem::create_directories(std::filesystem::path(root_ + "/" + rel).parent_path());
    std::ofstream(root_ + "/" + rel, std::ios::binary) << data;
  }

  // Checks a failed run: the expected exit code and exactly one error line (plus, for usage
  // mistakes, the pointer to --help).
  void ExpectOneLineError(const Outcome& o, int code, const std::string& needle) {
    EXPECT_EQ(o.exit_code, code) << o.err;
    EXPECT_TRUE(o.out.empty()) << o.out;
    ASSERT_FALSE(o.err.empty());
    std::string first = o.err.substr(0, o.err.find('\n'));
    EXPECT_EQ(first.rfind("saleslake fs", 0), 0u) << first;
    EXPECT_NE(first.find("error: "), std::string::npos) << first;
    EXPECT_NE(first.find(needle), std::string::npos) << first;
    std::string rest = o.err.substr(first.size() + 1);
    EXPECT_TRUE(rest.empty() || rest.rfind("see 'saleslake fs", 0) == 0) << o.err;
  }

  std::string binary_;
  TestTempDir dir_;
  std::string root_;
};

TEST_F(FsCommandTest, PutLsStatCatCpRm) {
  WriteLocal("in/sales.json", "[{\"total\":1}]");
  const std::string key = "lake/raw/year=2026/day 26/ünï+code.json";
  Outcome put = Fs({"put", "in/sales.json", key});
  ASSERT_EQ(put.exit_code, 0) << put.err;
  EXPECT_EQ(ReadAll(root_ + "/" + key), "[{\"total\":1}]");

  Outcome ls = Fs({"ls", "lake/raw"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_NE(ls.out.find("DIR  year=2026/\n"), std::string::npos) << ls.out;
  Outcome lsr = Fs({"ls", "-r", "file://" + root_ + "/lake"});
  ASSERT_EQ(lsr.exit_code, 0) << lsr.err;
  EXPECT_NE(lsr.out.find(" 13  raw/year=2026/day 26/ünï+code.json\n"), std::string::npos)
      << lsr.out;
  Outcome json = Fs({"ls", "-r", "--format", "json", "lake"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.front(), '[');
  EXPECT_NE(json.out.find("\"path\":\"raw/year=2026/day 26/ünï+code.json\""), std::string::npos);
  EXPECT_NE(json.out.find("\"uri\":\"file://" + root_ + "/" + key + "\""), std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find("\"size\":13"), std::string::npos);

  Outcome stat = Fs({"stat", key});
  ASSERT_EQ(stat.exit_code, 0) << stat.err;
  EXPECT_NE(stat.out.find("type:  file\nsize:  13\n"), std::string::npos) << stat.out;
  Outcome stat_json = Fs({"stat", "--format", "json", "lake/raw"});
  EXPECT_NE(stat_json.out.find("\"type\":\"directory\""), std::string::npos) << stat_json.out;

  Outcome cat = Fs({"cat", key});
  ASSERT_EQ(cat.exit_code, 0) << cat.err;
  EXPECT_EQ(cat.out, "[{\"total\":1}]");

  ASSERT_EQ(Fs({"cp", key, "copy/"}).exit_code, 0);
  EXPECT_EQ(ReadAll(root_ + "/copy/ünï+code.json"), "[{\"total\":1}]") << "into a directory";
  ASSERT_EQ(Fs({"cp", "-r", "lake", "file://" + root_ + "/lake2"}).exit_code, 0);
  EXPECT_EQ(ReadAll(root_ + "/lake2/raw/year=2026/day 26/ünï+code.json"), "[{\"total\":1}]");

  ASSERT_EQ(Fs({"rm", "lake2/raw/year=2026/day 26/ünï+code.json"}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(root_ + "/lake2/raw/year=2026/day 26/ünï+code.json"));
  ASSERT_EQ(Fs({"rm", "-r", "lake"}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(root_ + "/lake"));
  EXPECT_TRUE(std::filesystem::exists(root_ + "/lake2")) << "only what was named is removed";
}

TEST_F(FsCommandTest, BinaryDataSurvivesPutCpCat) {
  std::string data(3 << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
  WriteLocal("blob.bin", data);
  ASSERT_EQ(Fs({"put", "blob.bin", "a/blob.bin"}).exit_code, 0);
  ASSERT_EQ(Fs({"cp", "a/blob.bin", "b/blob.bin"}).exit_code, 0);
  Outcome cat = Fs({"cat", "b/blob.bin"});
  ASSERT_EQ(cat.exit_code, 0);
  EXPECT_TRUE(cat.out == data);
}

TEST_F(FsCommandTest, PutFromStandardInput) {
  Outcome o = Fs({"put", "-", "in/from-stdin.ndjson"}, "{\"a\":1}\n{\"a\":2}\n");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(ReadAll(root_ + "/in/from-stdin.ndjson"), "{\"a\":1}\n{\"a\":2}\n");
  ExpectOneLineError(Fs({"put", "-", "in/"}, "x"), 2, "give the file name");
}

TEST_F(FsCommandTest, MistakesGetOneClearLine) {
  ExpectOneLineError(Fs({"cat", "missing.json"}), 1, "no such file or directory: missing.json");
  ExpectOneLineError(Fs({"stat", "nope"}), 1, "no such file or directory: nope");
  ExpectOneLineError(Fs({"ls", "nowhere"}), 1, "no such file or directory: nowhere");
  ExpectOneLineError(Fs({"rm", "ghost.bin"}), 1, "ghost.bin");
  WriteLocal("d/f.bin", "x");
  ExpectOneLineError(Fs({"rm", "d"}), 2, "use 'saleslake fs rm -r'");
  ExpectOneLineError(Fs({"cp", "d", "e"}), 2, "use 'saleslake fs cp -r'");
  ExpectOneLineError(Fs({"cat", "d"}), 2, "is a directory");
  ExpectOneLineError(Fs({"rm", "-r", "/"}), 2, "refusing to remove");
  ExpectOneLineError(Fs({"put", "mem://x/y", "z"}), 2, "use 'saleslake fs cp");
  ExpectOneLineError(Fs({"ls", "gopher://host/x"}), 1, "unsupported URI scheme 'gopher'");
  ExpectOneLineError(Fs({"ls"}), 2, "URI is required");
  ExpectOneLineError(Fs({"frobnicate"}), 2, "unknown subcommand 'frobnicate'");
  ExpectOneLineError(Fs({"put", "d/f.bin", "s3:///no-bucket"}), 2, "bucket name is missing");
  EXPECT_TRUE(std::filesystem::exists(root_ + "/d/f.bin")) << "nothing was touched";
}

TEST_F(FsCommandTest, EverySubcommandHasHelpWithAnExample) {
  Outcome top = Fs({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* sub : {"ls", "stat", "cat", "put", "cp", "rm"}) {
    EXPECT_NE(top.out.find(std::string("  ") + sub + " "), std::string::npos) << sub;
    Outcome o = Fs({sub, "--help"});
    EXPECT_EQ(o.exit_code, 0) << sub;
    EXPECT_NE(o.out.find("Example:\n  saleslake fs " + std::string(sub)), std::string::npos)
        << o.out;
  }
}

// kill -9 of `saleslake fs put` in the middle of an upload leaves nothing visible: only a hidden
// orphan, which `fs ls --temporaries` shows and `fs ls` does not.
TEST_F(FsCommandTest, KilledPutLeavesNoVisibleFile) {
  int in[2];
  ASSERT_EQ(::pipe(in), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_addclose(&actions, in[1]);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::string target = root_ + "/lake/big.json";
  std::vector<std::string> args = {binary_, "fs", "put", "-", target};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(::posix_spawn(&pid, binary_.c_str(), &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  const std::string chunk(1 << 20, 'x');
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(::write(in[1], chunk.data(), chunk.size()), ssize_t(chunk.size()));
  // Wait (bounded) until part of the upload is on disk in the temporary file.
  bool on_disk = false;
  for (int i = 0; i < 6000 && !on_disk; ++i) {
    if (std::filesystem::exists(root_ + "/lake")) {
      for (const auto& e : std::filesystem::directory_iterator(root_ + "/lake")) {
        on_disk |= IsTemporaryName(e.path().filename().string()) && e.file_size() > 0;
      }
    }
    if (!on_disk) ::usleep(10000);
  }
  ASSERT_TRUE(on_disk) << "the upload never reached the disk";
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ::close(in[1]);
  EXPECT_TRUE(WIFSIGNALED(status));

  EXPECT_FALSE(std::filesystem::exists(target));
  Outcome ls = Fs({"ls", "-r", "lake"});
  EXPECT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_EQ(ls.out, "") << "nothing visible";
  Outcome orphans = Fs({"ls", "-r", "--temporaries", "lake"});
  EXPECT_NE(orphans.out.find(".tmp-"), std::string::npos) << orphans.out;
  EXPECT_NE(orphans.out.find("-big.json.partial"), std::string::npos) << orphans.out;
}

}  // namespace
}  // namespace saleslake::io
