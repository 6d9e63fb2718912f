#include "io/s3/s3_test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "io/http_client.h"
#include "io/s3/s3_client.h"
#include "io/s3/xml.h"

namespace saleslake::io::s3::testing {
namespace {

// Runs argv to completion with output discarded; returns its exit status (-1 if it could not run).
int RunQuietly(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int null_fd = ::open("/dev/null", O_WRONLY);
    if (null_fd >= 0) {
      dup2(null_fd, 1);
      dup2(null_fd, 2);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string S3rverScript() {
  const char* source = std::getenv("SALESLAKE_SOURCE_DIR");
  std::string root = source ? source : ".";
  return root + "/tests/node_modules/s3rver/bin/s3rver.js";
}

}  // namespace

std::string_view S3ServerName(S3ServerKind kind) {
  switch (kind) {
    case S3ServerKind::kMoto:
      return "moto";
    case S3ServerKind::kMotoWithAuth:
      return "moto_auth";
    case S3ServerKind::kS3rver:
      return "s3rver";
  }
  return "unknown";
}

int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::string UniqueBucketName() {
  static std::atomic<int> counter{0};
  static const uint32_t salt = std::random_device{}();
  return "sl-test-" + std::to_string(counter.fetch_add(1)) + "-" + std::to_string(salt % 100000);
}

Status S3ServerAvailable(S3ServerKind kind) {
  static std::mutex mu;
  static std::map<S3ServerKind, Status> known;
  std::lock_guard lock(mu);
  if (auto it = known.find(kind); it != known.end()) return it->second;
  Status st;
  if (kind == S3ServerKind::kS3rver) {
    if (!std::filesystem::exists(S3rverScript())) {
      st = Status::NotSupported("s3rver is not installed (" + S3rverScript() +
                                "): run 'cd tests && npm install'");
    } else if (RunQuietly({"node", "--version"}) != 0) {
      st = Status::NotSupported("node is not on PATH: s3rver tests need it");
    }
  } else if (RunQuietly({"python3", "-c", "import moto.server"}) != 0) {
    st = Status::NotSupported(
        "python3 cannot import moto.server: install moto[server] for the python3 on PATH");
  }
  known[kind] = st;
  return st;
}

Result<std::unique_ptr<S3TestServer>> S3TestServer::Start(S3ServerKind kind) {
  SL_RETURN_IF_ERROR(S3ServerAvailable(kind));
  std::unique_ptr<S3TestServer> server(new S3TestServer());
  server->kind_ = kind;
  char dir_template[] = "/tmp/sl-s3-server-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) return Status::IOError("mkdtemp failed");
  server->work_dir_ = dir_template;
  if (kind == S3ServerKind::kS3rver) {
    server->credentials_ = {"S3RVER", "S3RVER", "", "the s3rver test account"};
  } else {
    server->credentials_ = {"testing-access-key", "testing-secret-key", "", "moto test keys"};
  }
  Status st;
  // A port found free can be taken before the server binds it: try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    server->port_ = FreeLoopbackPort();
    st = server->Launch();
    if (st.ok()) st = server->WaitReady();
    if (st.ok()) break;
    server->Kill();
  }
  if (!st.ok()) return st;
  if (kind == S3ServerKind::kMotoWithAuth) SL_RETURN_IF_ERROR(server->MakeIamUser());
  return server;
}

Status S3TestServer::Launch() {
  std::string port = std::to_string(port_);
  std::vector<std::string> argv;
  if (kind_ == S3ServerKind::kS3rver) {
    std::filesystem::create_directories(work_dir_ + "/data");
    // s3rver makes continuation tokens with DES, which OpenSSL 3 only has in its legacy provider.
    argv = {"node",
            "--openssl-legacy-provider",
            S3rverScript(),
            "-d",
            work_dir_ + "/data",
            "-a",
            "127.0.0.1",
            "-p",
            port,
            "--silent"};
  } else {
    argv = {"python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", port};
  }
  std::string log_path = work_dir_ + "/server.log";
  pid_t pid = fork();
  if (pid < 0) return Status::IOError("fork failed");
  if (pid == 0) {
    setpgid(0, 0);
    // The server dies with the test process, even when that one crashes.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd >= 0) {
      dup2(log_fd, 1);
      dup2(log_fd, 2);
    }
    if (kind_ == S3ServerKind::kMotoWithAuth) {
      // Three unauthenticated calls: create a user, its access key and its policy.
      setenv("INITIAL_NO_AUTH_ACTION_COUNT", "3", 1);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  pid_ = pid;
  return Status::OK();
}

Status S3TestServer::WaitReady() {
  // Ready means accepting connections. No HTTP probe: in moto's authenticating mode every
  // request counts against the few unauthenticated ones the IAM set-up needs.
  int64_t deadline = MonotonicMicros() + 60'000'000;
  while (MonotonicMicros() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Status::Unavailable(std::string(S3ServerName(kind_)) + " exited at start:\n" +
                                 LogTail());
    }
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    bool connected = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    if (fd >= 0) ::close(fd);
    if (connected) return Status::OK();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Status::Timeout(std::string(S3ServerName(kind_)) + " did not listen within 60 s:\n" +
                         LogTail());
}

Status S3TestServer::MakeIamUser() {
  HttpClient http({2000, 30000, true, "", ""});
  AwsCredentials bootstrap{"bootstrap", "bootstrap", "", "bootstrap"};
  auto call = [&](const std::string& form) -> Result<XmlElement> {
    HttpRequest r;
    r.method = "POST";
    r.url = endpoint() + "/";
    r.body = form;
    std::string amz_date = AmzDate(NowMicros());
    std::string hash = Sha256Hex(form);
    r.headers = {{"host", "127.0.0.1:" + std::to_string(port_)},
                 {"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
                 {"x-amz-date", amz_date},
                 {"x-amz-content-sha256", hash}};
    // moto routes by the service in the credential scope: sign for IAM.
    SigningInput input{"POST", "/", "", &r.headers, hash};
    r.headers.push_back(
        {"Authorization", AuthorizationHeader(bootstrap, "us-east-1", "iam", amz_date, input)});
    TransportFailure failure;
    SL_ASSIGN_OR_RETURN(HttpResponse response, http.Send(r, &failure));
    if (response.status != 200) {
      return Status::Internal("moto IAM call failed: HTTP " + std::to_string(response.status) +
                              " " + response.body);
    }
    return ParseXml(response.body);
  };
  const std::string version = "&Version=2010-05-08";
  SL_RETURN_IF_ERROR(call("Action=CreateUser&UserName=saleslake" + version).status());
  SL_ASSIGN_OR_RETURN(XmlElement key, call("Action=CreateAccessKey&UserName=saleslake" + version));
  const XmlElement* result = key.Child("CreateAccessKeyResult");
  const XmlElement* access_key = result ? result->Child("AccessKey") : nullptr;
  if (access_key == nullptr) return Status::Internal("moto CreateAccessKey: no AccessKey");
  credentials_ = {access_key->ChildText("AccessKeyId"), access_key->ChildText("SecretAccessKey"),
                  "", "a moto IAM user"};
  std::string policy =
      "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22"
      "%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D";
  return call("Action=PutUserPolicy&UserName=saleslake&PolicyName=all&PolicyDocument=" + policy +
              version)
      .status();
}

S3TestServer::~S3TestServer() {
  Kill();
  std::error_code ignored;
  if (!work_dir_.empty()) std::filesystem::remove_all(work_dir_, ignored);
}

void S3TestServer::Kill() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

Result<S3TestServer*> SharedS3TestServer(S3ServerKind kind) {
  static std::mutex mu;
  static auto* servers = new std::map<S3ServerKind, std::unique_ptr<S3TestServer>>();
  static auto* failures = new std::map<S3ServerKind, Status>();
  std::lock_guard lock(mu);
  if (auto it = servers->find(kind); it != servers->end()) return it->second.get();
  if (auto it = failures->find(kind); it != failures->end()) return it->second;
  Result<std::unique_ptr<S3TestServer>> started = S3TestServer::Start(kind);
  if (!started.ok()) {
    (*failures)[kind] = started.status();
    return started.status();
  }
  S3TestServer* server = started->get();
  (*servers)[kind] = std::move(started).value();
  // Stopped when the test program exits (and by PR_SET_PDEATHSIG if it crashes).
  static const bool registered = [] {
    std::atexit([] { servers->clear(); });
    return true;
  }();
  (void)registered;
  return server;
}

S3Config S3TestServer::Config() const {
  S3Config config;
  config.credentials = credentials_;
  config.region = "us-east-1";
  config.endpoint_url = endpoint();
  config.addressing = AddressingStyle::kPath;
  config.retry = {3, 10, 100};
  config.connect_timeout_ms = 2000;
  config.request_timeout_ms = 60'000;
  return config;
}

Status S3TestServer::CreateBucket(const std::string& bucket) {
  S3Client client(Config());
  return client.CreateBucket(bucket);
}

std::string S3TestServer::LogTail() const {
  std::ifstream in(work_dir_ + "/server.log");
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > 4000 ? all.substr(all.size() - 4000) : all;
}

}  // namespace saleslake::io::s3::testing
