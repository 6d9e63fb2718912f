// A throw-away PostgreSQL server for tests: initdb into a temporary directory and pg_ctl start
// on a free loopback port, as an unprivileged user (PostgreSQL refuses to run as root: under
// root the server runs as `nobody` through runuser). Password authentication (SCRAM) on TCP,
// so tests see passwords handled as users' are. One server per test process, stopped at exit.
//
//   const PgTestServer* pg = PgTestServer::Shared();
//   if (!pg->ok()) GTEST_SKIP() << pg->why_not();
//   std::string uri = pg->Uri("my_test");  // its own schema
#pragma once

#include <string>

namespace saleslake::lake {

class PgTestServer {
 public:
  static const PgTestServer* Shared();

  bool ok() const { return ok_; }
  // What is missing when !ok() ("PostgreSQL server binaries not found: install postgresql-15").
  const std::string& why_not() const { return why_not_; }
  // postgresql://saleslake:PASSWORD@127.0.0.1:PORT/postgres?schema=SCHEMA
  std::string Uri(const std::string& schema) const;
  // The same without the password (it then comes from PGPASSWORD or ~/.pgpass).
  std::string UriWithoutPassword(const std::string& schema) const;
  const std::string& password() const { return password_; }
  int port() const { return port_; }

  ~PgTestServer();

 private:
  PgTestServer();
  bool ok_ = false;
  std::string why_not_;
  std::string dir_;
  std::string bin_;
  std::string run_as_;  // "runuser -u nobody -- " under root
  std::string password_;
  int port_ = 0;
};

}  // namespace saleslake::lake
