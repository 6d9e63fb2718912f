// Runs the real `saleslake generate` binary: flags, exit codes, error lines, --out.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "generator/generator.h"

namespace saleslake::generator {
namespace {

struct Process {
  int exit_code;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class GenerateCommandTest : public testing::Test {
 protected:
  void SetUp() override {
    const char* binary = std::getenv("SALESLAKE_BINARY");
    if (binary == nullptr || !std::filesystem::exists(binary)) {
      GTEST_SKIP() << "SALESLAKE_BINARY is not set to a built saleslake binary";
    }
    binary_ = binary;
    dir_ = std::filesystem::path(testing::TempDir()) /
           ("generate_command_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  Process Run(const std::string& args) {
    const std::string out = (dir_ / "stdout").string(), err = (dir_ / "stderr").string();
    const std::string command =
        "'" + binary_ + "' generate " + args + " >'" + out + "' 2>'" + err + "' </dev/null";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(out), ReadFile(err)};
  }

  std::string binary_;
  std::filesystem::path dir_;
};

constexpr char kFixed[] = "--seed 42 --now 2026-11-26T12:00:00 ";

TEST_F(GenerateCommandTest, HelpHasAnExample) {
  Process p = Run("--help");
  EXPECT_EQ(p.exit_code, 0);
  EXPECT_NE(p.out.find("Example"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("--dirty"), std::string::npos);
  EXPECT_NE(p.out.find("--envelope"), std::string::npos);
}

TEST_F(GenerateCommandTest, WritesSeededNdjsonToStdout) {
  Process a = Run(std::string(kFixed) + "--records 3 --format ndjson");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(std::count(a.out.begin(), a.out.end(), '\n'), 3);
  EXPECT_EQ(a.out.rfind("{\"transaction_id\":\"", 0), 0u);
  EXPECT_EQ(a.err, "") << "stdout is data; nothing on stderr for a clean run";
  Process b = Run(std::string(kFixed) + "--records 3 --format ndjson");
  EXPECT_EQ(a.out, b.out);
  // The library and the command agree byte for byte.
  GeneratorOptions o;
  o.records = 3;
  o.seed = 42;
  o.now_micros = 1'795'694'400'000'000;  // 2026-11-26T12:00:00Z
  o.format = OutputFormat::kNdjson;
  std::string library;
  ASSERT_TRUE(Generate(o, [&](std::string_view c) {
                library.append(c);
                return true;
              }).ok());
  EXPECT_EQ(a.out, library);
}

TEST_F(GenerateCommandTest, OutFileIsWrittenWholeAndAlone) {
  const std::string target = (dir_ / "sales.json").string();
  Process p = Run(std::string(kFixed) + "--records 1000 --envelope lambda --out '" + target + "'");
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(p.out, "");
  Process direct = Run(std::string(kFixed) + "--records 1000 --envelope lambda");
  EXPECT_EQ(ReadFile(target), direct.out);
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    files += entry.path().filename().string().find(".tmp-") != std::string::npos;
  }
  EXPECT_EQ(files, 0u) << "no temporary file is left behind";
  Process bad = Run("--records 5 --out '" + (dir_ / "no-such-dir" / "x.json").string() + "'");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("--out"), std::string::npos) << bad.err;
}

TEST_F(GenerateCommandTest, UsageMistakesGetOneClearLineAndExitTwo) {
  for (const char* args :
       {"--dirty 2", "--days 0", "--format xml", "--products p.json",
        "--envelope lambda --format ndjson", "--now yesterday", "--records -5"}) {
    Process p = Run(args);
    EXPECT_EQ(p.exit_code, 2) << args << ": " << p.err;
    EXPECT_EQ(p.out, "") << args;
    EXPECT_EQ(p.err.rfind("saleslake generate: error: ", 0), 0u) << args << ": " << p.err;
    const size_t lines = std::count(p.err.begin(), p.err.end(), '\n');
    EXPECT_LE(lines, 2u) << args << ": " << p.err;  // the error, maybe "see --help"
  }
  Process dirty = Run("--dirty 2");
  EXPECT_NE(dirty.err.find("--dirty"), std::string::npos) << dirty.err;
}

TEST_F(GenerateCommandTest, CatalogFileErrorsNameTheFile) {
  const std::string products = (dir_ / "products.json").string();
  const std::string stores = (dir_ / "stores.json").string();
  std::ofstream(products) << R"([{"product_id":"P1","product_name":"N","category":"C",)"
                          << R"("brand":"B","mrp":"ten","retail_price":9}])";
  std::ofstream(stores) << R"([{"store_id":"S1","store_name":"A","location":"Pune"}])";
  Process p = Run("--products '" + products + "' --stores '" + stores + "'");
  EXPECT_EQ(p.exit_code, 2) << p.err;
  EXPECT_NE(p.err.find(products + ": entry [0], field \"mrp\": must be a number, got a string"),
            std::string::npos)
      << p.err;
  std::ofstream(products) << R"([{"product_id":"P1","product_name":"N","category":"C",)"
                          << R"("brand":"B","mrp":10,"retail_price":9}])";
  Process ok = Run(std::string(kFixed) + "--records 4 --format ndjson --products '" + products +
                   "' --stores '" + stores + "'");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(std::count(ok.out.begin(), ok.out.end(), '\n'), 4);
  EXPECT_NE(ok.out.find("\"store_id\":\"S1\",\"store_name\":\"A\",\"store_location\":\"Pune\""),
            std::string::npos);
}

TEST_F(GenerateCommandTest, DirtyCountsGoToStderrAsOneLogLine) {
  Process p =
      Run(std::string(kFixed) + "--records 2000 --dirty 0.5 --format ndjson --log-format json");
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(std::count(p.err.begin(), p.err.end(), '\n'), 1) << p.err;
  EXPECT_NE(p.err.find("\"event\":\"generate.dirty\""), std::string::npos) << p.err;
  for (std::string_view kind : DirtyKindNames()) {
    EXPECT_NE(p.err.find("\"" + std::string(kind) + "\":"), std::string::npos) << kind;
  }
  EXPECT_EQ(std::count(p.out.begin(), p.out.end(), '\n'), 2000);
}

}  // namespace
}  // namespace saleslake::generator
