#include "lake/commit_log_move.h"

#include <fmt/format.h>

#include "base/logging.h"
#include "lake/commit_log_store.h"
#include "lake/pg_commit_log.h"

namespace saleslake::lake {
namespace {

bool IsEmbedded(std::string_view uri) { return uri.empty() || uri == "embedded"; }

Result<std::unique_ptr<CommitLogStore>> OpenForMove(const Lake& lake, std::string_view uri,
                                                    bool destination) {
  if (IsEmbedded(uri)) return OpenEmbeddedLog(lake.fs(), /*allow_moved=*/destination);
  if (!IsPostgresUri(uri)) return OpenCommitLogStore(lake.fs(), uri);  // the one error line
  if (destination) {
    SL_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, PgConnection::Connect(uri));
    SL_RETURN_IF_ERROR(MigratePgSchema(conn.get()).status());
  }
  return OpenPgCommitLog(lake.fs(), uri, /*allow_moved=*/destination);
}

}  // namespace

Result<MoveResult> MoveCommitLog(const Lake& lake, std::string_view from, std::string_view to) {
  if (IsEmbedded(from) == IsEmbedded(to) && (IsEmbedded(from) || from == to)) {
    return Status::InvalidArgument("the commit log is already there: --to names where it is");
  }
  SL_ASSIGN_OR_RETURN(std::unique_ptr<LakeLock> lock, lake.Lock("saleslake commit-log move"));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<CommitLogStore> source_store,
                      OpenForMove(lake, from, /*destination=*/false));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> source,
                      Ledger::Open(lake.fs(), std::move(source_store), /*recover=*/true));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<CommitLogStore> dest,
                      OpenForMove(lake, to, /*destination=*/true));
  MoveResult result;
  result.from = source->store().Describe();
  result.to = dest->Describe();
  SL_ASSIGN_OR_RETURN(bool empty, dest->IsEmpty());
  if (!empty) {
    return Status::AlreadyExists(fmt::format(
        "{} already holds a commit log: refusing to overwrite it (give this lake its own "
        "database or ?schema=NAME)",
        result.to));
  }
  for (uint64_t seq = source->first_seq(); seq <= source->state().last_seq; ++seq) {
    SL_ASSIGN_OR_RETURN(LedgerCommit c, source->ReadCommit(seq));
    SL_RETURN_IF_ERROR(dest->ImportCommit(c));
    ++result.commits;
  }
  LedgerState state = source->state();
  state.format = kLedgerFormat;
  if (state.last_seq > 0) SL_RETURN_IF_ERROR(dest->WriteCheckpoint(state));
  SL_RETURN_IF_ERROR(source->store().SetMovedTo(result.to));
  SL_RETURN_IF_ERROR(source->store().Clear());
  SL_RETURN_IF_ERROR(dest->SetMovedTo(""));
  result.last_seq = state.last_seq;
  result.files = state.files.size();
  log::Info("commit_log.move", {{"lake", lake.uri()},
                                {"from", result.from},
                                {"to", result.to},
                                {"commits", result.commits},
                                {"last_seq", result.last_seq}});
  return result;
}

}  // namespace saleslake::lake
