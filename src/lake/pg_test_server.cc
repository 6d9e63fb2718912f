#include "lake/pg_test_server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <glob.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

namespace saleslake::lake {
namespace {

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

std::string NewestPgBin() {
  glob_t g{};
  std::vector<std::string> found;
  if (glob("/usr/lib/postgresql/*/bin/pg_ctl", 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) found.emplace_back(g.gl_pathv[i]);
  }
  globfree(&g);
  if (found.empty()) return "";
  std::sort(found.begin(), found.end());
  std::string pg_ctl = found.back();
  return pg_ctl.substr(0, pg_ctl.rfind('/'));
}

}  // namespace

const PgTestServer* PgTestServer::Shared() {
  static PgTestServer* server = new PgTestServer();
  static bool registered = [] {
    std::atexit([] { delete server; });
    return true;
  }();
  (void)registered;
  return server;
}

PgTestServer::PgTestServer() {
  bin_ = NewestPgBin();
  if (bin_.empty()) {
    why_not_ =
        "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): install "
        "postgresql-15 (scripts/install-deps.sh)";
    return;
  }
  char tmpl[] = "/tmp/saleslake-pg-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    why_not_ = "cannot make a temporary directory";
    return;
  }
  dir_ = tmpl;
  if (geteuid() == 0) {
    passwd* nobody = getpwnam("nobody");
    if (nobody == nullptr || std::system("command -v runuser >/dev/null 2>&1") != 0) {
      why_not_ = "running as root without a 'nobody' user or runuser: PostgreSQL cannot start";
      return;
    }
    if (chown(dir_.c_str(), nobody->pw_uid, nobody->pw_gid) != 0) {
      why_not_ = "cannot hand the temporary directory to nobody";
      return;
    }
    run_as_ = "runuser -u nobody -- ";
  }
  password_ = fmt::format("pw-{}-secret", getpid());
  {
    std::ofstream pw(dir_ + "/pwfile");
    pw << password_ << "\n";
  }
  if (!run_as_.empty()) {
    passwd* nobody = getpwnam("nobody");
    if (chown((dir_ + "/pwfile").c_str(), nobody->pw_uid, nobody->pw_gid) != 0) {
      why_not_ = "cannot hand the password file to nobody";
      return;
    }
  }
  std::string initdb = fmt::format(
      "{}{}/initdb -D {}/data -U saleslake --pwfile={}/pwfile --auth-host=scram-sha-256 "
      "--auth-local=trust -E UTF8 --no-sync >{}/initdb.log 2>&1",
      run_as_, bin_, dir_, dir_, dir_);
  if (std::system(initdb.c_str()) != 0) {
    why_not_ = "initdb failed (see " + dir_ + "/initdb.log)";
    return;
  }
  for (int attempt = 0; attempt < 5 && !ok_; ++attempt) {
    port_ = FreePort();
    std::string start = fmt::format(
        "{}{}/pg_ctl -D {}/data -l {}/server.log -w -t 60 -o \"-p {} -k {} -c "
        "listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100\" start >/dev/null 2>&1",
        run_as_, bin_, dir_, dir_, port_, dir_);
    ok_ = std::system(start.c_str()) == 0;
  }
  if (!ok_) why_not_ = "pg_ctl start failed (see " + dir_ + "/server.log)";
}

PgTestServer::~PgTestServer() {
  if (ok_) {
    std::string stop = fmt::format("{}{}/pg_ctl -D {}/data -m immediate stop >/dev/null 2>&1",
                                   run_as_, bin_, dir_);
    (void)std::system(stop.c_str());
  }
  if (!dir_.empty() && std::getenv("SALESLAKE_KEEP_PG") == nullptr) {
    (void)std::system(fmt::format("rm -rf {}", dir_).c_str());
  }
}

std::string PgTestServer::Uri(const std::string& schema) const {
  return fmt::format("postgresql://saleslake:{}@127.0.0.1:{}/postgres?schema={}", password_, port_,
                     schema);
}

std::string PgTestServer::UriWithoutPassword(const std::string& schema) const {
  return fmt::format("postgresql://saleslake@127.0.0.1:{}/postgres?schema={}", port_, schema);
}

}  // namespace saleslake::lake
