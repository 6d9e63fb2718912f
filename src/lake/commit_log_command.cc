// `saleslake commit-log migrate|move`: the PostgreSQL commit log's schema, and moving a lake's
// log between the lake (embedded) and PostgreSQL.
#include <cstdio>

#include "base/cli.h"
#include "base/json_writer.h"
#include "lake/commit_log_move.h"
#include "lake/commit_log_store.h"
#include "lake/pg_commit_log.h"
#include "lake/pg_connection.h"

namespace saleslake::lake {
namespace {

Status Migrate(const std::string& uri, const std::string& format) {
  if (!IsPostgresUri(uri)) {
    return Status::InvalidArgument(
        "commit-log migrate needs --commit-log postgresql://user@host:port/db (the embedded log "
        "is migrated by 'saleslake migrate')");
  }
  SL_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, PgConnection::Connect(uri));
  SL_ASSIGN_OR_RETURN(int from, MigratePgSchema(conn.get()));
  if (format == "json") {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject();
    w.Field("commit_log", conn->described());
    w.Field("from_version", static_cast<int64_t>(from));
    w.Field("version", static_cast<int64_t>(kPgSchemaVersion));
    w.EndObject();
    std::printf("%s\n", out.c_str());
  } else if (from == kPgSchemaVersion) {
    std::printf("%s: schema %s already at version %d\n", conn->described().c_str(),
                conn->schema_name().c_str(), kPgSchemaVersion);
  } else {
    std::printf("%s: schema %s %s version %d\n", conn->described().c_str(),
                conn->schema_name().c_str(), from == 0 ? "created at" : "upgraded to",
                kPgSchemaVersion);
  }
  return Status::OK();
}

Status Move(const std::string& lake_uri, const std::string& from, const std::string& to,
            const std::string& format) {
  SL_ASSIGN_OR_RETURN(std::shared_ptr<Lake> lake, Lake::Open(lake_uri));
  SL_ASSIGN_OR_RETURN(MoveResult r, MoveCommitLog(*lake, from, to));
  if (format == "json") {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject();
    w.Field("lake", lake->uri());
    w.Field("from", r.from);
    w.Field("to", r.to);
    w.Field("commits", r.commits);
    w.Field("last_seq", r.last_seq);
    w.Field("files", r.files);
    w.EndObject();
    std::printf("%s\n", out.c_str());
  } else {
    std::printf(
        "%s: commit log moved from %s to %s (%llu commit records, last commit %llu, %llu "
        "files)\n",
        lake->uri().c_str(), r.from.c_str(), r.to.c_str(),
        static_cast<unsigned long long>(r.commits), static_cast<unsigned long long>(r.last_seq),
        static_cast<unsigned long long>(r.files));
  }
  return Status::OK();
}

}  // namespace

int CommitLogCommand(int argc, char** argv) {
  CLI::App app(
      "The lake's commit log. 'migrate' creates or upgrades the PostgreSQL commit log's schema "
      "(versioned; safe to run again or concurrently). 'move' moves a lake's log from where "
      "--commit-log says it is (default: embedded in the lake) to --to (a postgresql:// URI or "
      "'embedded'), under the lake lock; afterwards commands must name the new place.");
  app.require_subcommand(1);
  app.fallthrough();  // --format and the logging flags may follow the subcommand
  std::string lake;
  std::string to;
  std::string format = "text";
  CLI::App* migrate = app.add_subcommand("migrate", "create or upgrade the PostgreSQL schema");
  CLI::App* move = app.add_subcommand("move", "move the lake's commit log to --to");
  AddCommitLogFlag(&app);    // on the command itself, so SALESLAKE_COMMIT_LOG is read too
  AddLakeFlag(move, &lake);  // with --commit-log: where the log is now
  move->add_option("--to", to, "where the log goes: postgresql://user@host:port/db or embedded")
      ->required();
  AddFormatFlag(&app, &format);
  return RunCommand(
      app, "commit-log",
      "saleslake commit-log migrate --commit-log postgresql://saleslake@db:5432/lake\n"
      "  saleslake commit-log move --lake s3://bucket/lake --to postgresql://saleslake@db/lake",
      argc, argv, [&]() -> Status {
        if (migrate->parsed()) return Migrate(CommitLogFlag(), format);
        return Move(lake, CommitLogFlag(), to, format);
      });
}

}  // namespace saleslake::lake
