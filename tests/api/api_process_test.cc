// `saleslake api` as a person runs it: the built binary in a child process, called over loopback,
// stopped with signals. The graceful drain is checked here, with a real SIGTERM.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "web/testing/http_test_client.h"

extern char** environ;

namespace saleslake {
namespace {

using web::testing::HttpTestClient;

std::string Binary() {
  const char* path = std::getenv("SALESLAKE_BINARY");
  return path ? path : "";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A child process with stdout on a pipe (read line by line) and stderr in a temporary file.
class Child {
 public:
  Child(const std::vector<std::string>& args, const std::vector<std::string>& extra_env = {}) {
    char stderr_template[] = "/tmp/saleslake_api_stderr_XXXXXX";
    int err_fd = mkstemp(stderr_template);
    stderr_path_ = stderr_template;
    int out[2];
    if (pipe(out) != 0 || err_fd < 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> argv_strings = {Binary()};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings = extra_env;
    for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
    std::vector<char*> envp;
    for (std::string& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err_fd);
    stdout_fd_ = out[0];
  }

  ~Child() {
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      (void)Wait();
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
    std::remove(stderr_path_.c_str());
  }

  bool started() const { return pid_ > 0; }

  // The next line of stdout ("" at end of file).
  std::string ReadLine() {
    std::string line;
    char c;
    while (read(stdout_fd_, &c, 1) == 1) {
      if (c == '\n') return line;
      line.push_back(c);
    }
    return line;
  }

  // Reads stdout up to the "serving http://HOST:PORT" line and returns the URL ("" if none).
  std::string WaitForUrl() {
    std::string line = ReadLine();
    size_t at = line.find("http://");
    if (at == std::string::npos) return "";
    size_t end = line.find(' ', at);
    return line.substr(at, end == std::string::npos ? std::string::npos : end - at);
  }

  void Signal(int sig) { kill(pid_, sig); }

  // Waits for the exit; returns the exit status, or 128 + signal for a signal death.
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
  }

  std::string Stdout() {
    std::string rest;
    char buf[4096];
    for (ssize_t n; (n = read(stdout_fd_, buf, sizeof(buf))) > 0;) rest.append(buf, n);
    return rest;
  }
  std::string Stderr() const { return ReadFile(stderr_path_); }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stderr_path_;
  bool waited_ = false;
};

class ApiProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Binary().empty()) GTEST_SKIP() << "SALESLAKE_BINARY is not set (run through ctest)";
  }
};

size_t CountRecords(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::array records;
  EXPECT_EQ(parser.parse(body).get(records), simdjson::SUCCESS);
  return records.size();
}

TEST_F(ApiProcessTest, SigtermLetsAnInFlightResponseFinishThenExitsZero) {
  Child api({"api", "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(api.started());
  const std::string url = api.WaitForUrl();
  ASSERT_FALSE(url.empty()) << api.Stderr();

  // A slow reader: the body (about 35 MB) takes seconds to consume, so SIGTERM lands mid-stream.
  HttpTestClient client;
  client.set_delay_per_piece(std::chrono::microseconds(1000));
  std::atomic<uint64_t> received{0};
  client.set_progress(&received);
  Result<web::testing::HttpTestResponse> result = Status::Internal("not run");
  std::thread request([&] { result = client.Get(url + "/v1/sales?records=100000&seed=7"); });
  while (received.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  api.Signal(SIGTERM);
  request.join();

  ASSERT_TRUE(result.ok()) << result.status().ToString() << "\n" << api.Stderr();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(CountRecords(result->body), 100'000u);
  EXPECT_EQ(api.Wait(), 0) << api.Stderr();
  const std::string log = api.Stderr();
  EXPECT_NE(log.find("shutdown.signal signal=SIGTERM"), std::string::npos) << log;
  EXPECT_NE(log.find("http.stopped"), std::string::npos) << log;
  // The drained request is logged as complete.
  EXPECT_NE(log.find("query=\"records=100000&seed=7\" status=200"), std::string::npos) << log;
  EXPECT_EQ(log.find("complete=false"), std::string::npos) << log;
}

TEST_F(ApiProcessTest, CtrlCStopsAnIdleServerWithExitZero) {
  Child api({"api", "--listen", "127.0.0.1:0", "--log-format", "json"});
  ASSERT_TRUE(api.started());
  const std::string url = api.WaitForUrl();
  ASSERT_FALSE(url.empty()) << api.Stderr();
  HttpTestClient client;  // its kept-alive connection stays open while the server stops
  auto health = client.Get(url + "/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  api.Signal(SIGINT);
  EXPECT_EQ(api.Wait(), 0) << api.Stderr();
  EXPECT_NE(api.Stderr().find(R"("event":"http.request")"), std::string::npos);
}

TEST_F(ApiProcessTest, FlagsAndTheirEnvironmentVariablesApply) {
  Child api({"api", "--listen", "127.0.0.1:0", "--max-records", "10"});
  ASSERT_TRUE(api.started());
  const std::string url = api.WaitForUrl();
  ASSERT_FALSE(url.empty()) << api.Stderr();
  HttpTestClient client;
  auto ok = client.Get(url + "/v1/sales?records=10");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(CountRecords(ok->body), 10u);
  auto over = client.Get(url + "/v1/sales?records=11");
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(over->status, 400);
  api.Signal(SIGTERM);
  EXPECT_EQ(api.Wait(), 0);

  Child from_env({"api"}, {"SALESLAKE_LISTEN=127.0.0.1:0", "SALESLAKE_MAX_RECORDS=3"});
  const std::string env_url = from_env.WaitForUrl();
  ASSERT_FALSE(env_url.empty()) << from_env.Stderr();
  auto env_over = client.Get(env_url + "/v1/sales?records=4");
  ASSERT_TRUE(env_over.ok());
  EXPECT_EQ(env_over->status, 400);
  from_env.Signal(SIGTERM);
  EXPECT_EQ(from_env.Wait(), 0);
}

TEST_F(ApiProcessTest, HelpShowsAnExample) {
  Child help({"api", "--help"});
  ASSERT_TRUE(help.started());
  EXPECT_EQ(help.Wait(), 0);
  const std::string out = help.Stdout();
  EXPECT_NE(out.find("--listen"), std::string::npos) << out;
  EXPECT_NE(out.find("--max-records"), std::string::npos) << out;
  EXPECT_NE(out.find("Example:"), std::string::npos) << out;
}

TEST_F(ApiProcessTest, ABadListenAddressIsOneClearLine) {
  Child api({"api", "--listen", "localhost"});
  ASSERT_TRUE(api.started());
  EXPECT_EQ(api.Wait(), 2);
  const std::string err = api.Stderr();
  EXPECT_TRUE(err.starts_with("saleslake api: error: bad listen address 'localhost'")) << err;
  EXPECT_NE(err.find("HOST:PORT"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST_F(ApiProcessTest, ABusyPortIsAnErrorNotASilentShare) {
  Child first({"api", "--listen", "127.0.0.1:0"});
  const std::string url = first.WaitForUrl();
  ASSERT_FALSE(url.empty()) << first.Stderr();
  const std::string address = url.substr(std::string("http://").size());
  Child second({"api", "--listen", address});
  EXPECT_EQ(second.Wait(), 1);
  EXPECT_NE(second.Stderr().find("cannot listen on " + address), std::string::npos)
      << second.Stderr();
  first.Signal(SIGTERM);
  EXPECT_EQ(first.Wait(), 0);
}

}  // namespace
}  // namespace saleslake
