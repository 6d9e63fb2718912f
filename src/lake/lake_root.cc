#include "lake/lake_root.h"

#include <fmt/format.h>

#include "lake/commit_log_store.h"
#include "lake/pg_commit_log.h"
#include "lake/pg_connection.h"

namespace saleslake::lake {
namespace {

Status NoLake(std::string_view uri, std::string_view why) {
  return Status::NotFound(fmt::format(
      "no lake at {}: {} (give --lake URI, or create one with 'saleslake run' or 'saleslake up')",
      uri, why));
}

}  // namespace

Status CheckLakeExists(io::FileSystem& fs, std::string_view uri) {
  if (std::string log_uri = CommitLogFlag(); IsPostgresUri(log_uri)) {
    // The log is in PostgreSQL: the lake is there once the log holds a commit.
    SL_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, PgConnection::Connect(log_uri));
    SL_ASSIGN_OR_RETURN(int version, PgSchemaVersion(conn.get()));
    if (version > 0) {
      SL_ASSIGN_OR_RETURN(PgRows head, conn->Exec("SELECT last_seq FROM {s}.log_head"));
      if (head.Int(0, 0) > 0) return Status::OK();
    }
    return NoLake(uri, fmt::format("its commit log {} holds no commit", conn->described()));
  }
  io::ListOptions options;
  options.recursive = false;
  options.include_directories = true;
  Result<std::vector<io::FileInfo>> marker = fs.List(kLakeMarkerDir, options);
  if (!marker.ok()) return NoLake(uri, marker.status().message());
  if (!marker->empty()) return Status::OK();
  Result<std::vector<io::FileInfo>> root = fs.List("", options);
  if (!root.ok()) return NoLake(uri, root.status().message());
  if (root->empty()) {
    return NoLake(uri, fs.scheme() == "s3" ? "nothing is stored under it"
                                           : "the folder does not exist or is empty");
  }
  return NoLake(
      uri, fmt::format("it has no {}/ commit log, so it is not a saleslake lake", kLakeMarkerDir));
}

Status CheckLakeExists(std::string_view uri) {
  Result<std::shared_ptr<io::FileSystem>> fs = io::FileSystemFromUri(uri);
  if (!fs.ok()) return fs.status();
  return CheckLakeExists(**fs, uri);
}

}  // namespace saleslake::lake
