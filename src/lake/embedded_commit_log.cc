// The embedded commit log: `_ledger/` in the lake (ledger.h describes the files). One writer at
// a time (the lake lock), so a commit's number is simply the next one.
#include <fmt/format.h>

#include <algorithm>

#include "base/storage_flags.h"
#include "base/strings.h"
#include "io/path.h"
#include "lake/commit_log_store.h"
#include "lake/layout.h"
#include "lake/ledger_json.h"
#include "lake/pg_commit_log.h"
#include "lake/pg_connection.h"

namespace saleslake::lake {
namespace {

class EmbeddedCommitLog final : public CommitLogStore {
 public:
  explicit EmbeddedCommitLog(std::shared_ptr<io::FileSystem> fs) : fs_(std::move(fs)) {}

  std::string Describe() const override { return "embedded (_ledger/ in the lake)"; }
  bool embedded() const override { return true; }

  Result<std::optional<LedgerState>> ReadCheckpoint() override {
    std::string path = CheckpointPath();
    Result<std::string> text = fs_->ReadFile(path);
    if (!text.ok()) {
      if (text.status().IsNotFound()) return std::optional<LedgerState>();
      return text.status();
    }
    SL_ASSIGN_OR_RETURN(LedgerState state, StateFromJson(*text, path));
    return std::optional<LedgerState>(std::move(state));
  }

  Result<std::vector<uint64_t>> CommitSeqs() override {
    SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries,
                        fs_->List(kLedgerDir, io::ListOptions{.recursive = false}));
    std::vector<uint64_t> seqs;
    for (const io::FileInfo& e : entries) {
      if (uint64_t seq = SeqFromCommitName(io::BaseName(e.path)); seq > 0) seqs.push_back(seq);
    }
    std::sort(seqs.begin(), seqs.end());
    return seqs;
  }

  Result<LedgerCommit> ReadCommit(uint64_t seq) override {
    std::string path = CommitPath(seq);
    SL_ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(path));
    return CommitFromJson(text, path);
  }

  Status Append(LedgerCommit* commit, LedgerState* state, const CommitFence* fence) override {
    if (fence != nullptr) {
      return Status::InvalidArgument(
          "a task's commit needs the PostgreSQL commit log (--commit-log postgresql://…)");
    }
    commit->seq = state->last_seq + 1;
    SL_RETURN_IF_ERROR(fs_->WriteFile(CommitPath(commit->seq), CommitToJson(*commit)));
    ApplyCommit(*commit, state);
    return Status::OK();
  }

  Result<std::vector<uint64_t>> UnfinishedCommits(const LedgerState& state) override {
    // Every writer finishes its commit or recovers the last one before committing, so only the
    // last can be unfinished.
    if (state.last_seq == 0) return std::vector<uint64_t>{};
    return std::vector<uint64_t>{state.last_seq};
  }
  Status MarkFinished(uint64_t) override { return Status::OK(); }

  Status WriteCheckpoint(const LedgerState& state) override {
    return fs_->WriteFile(CheckpointPath(), StateToJson(state));
  }

  Status DeleteCommits(const std::vector<uint64_t>& seqs) override {
    std::vector<std::string> paths;
    for (uint64_t seq : seqs) paths.push_back(CommitPath(seq));
    return paths.empty() ? Status::OK() : fs_->DeleteMany(paths);
  }

  Result<bool> IsEmpty() override {
    SL_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, CommitSeqs());
    SL_ASSIGN_OR_RETURN(io::FileInfo checkpoint, fs_->GetFileInfo(CheckpointPath()));
    return seqs.empty() && checkpoint.type != io::FileType::kFile;
  }

  Status ImportCommit(const LedgerCommit& commit) override {
    return fs_->WriteFile(CommitPath(commit.seq), CommitToJson(commit));
  }

  Status SetMovedTo(std::string_view where) override {
    if (where.empty()) {
      SL_ASSIGN_OR_RETURN(io::FileInfo note, fs_->GetFileInfo(MovedNotePath()));
      return note.type == io::FileType::kFile ? fs_->DeleteMany({MovedNotePath()}) : Status::OK();
    }
    return fs_->WriteFile(MovedNotePath(), std::string(where) + "\n");
  }

  Status Clear() override {
    SL_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, CommitSeqs());
    std::vector<std::string> paths;
    for (uint64_t seq : seqs) paths.push_back(CommitPath(seq));
    SL_ASSIGN_OR_RETURN(io::FileInfo checkpoint, fs_->GetFileInfo(CheckpointPath()));
    if (checkpoint.type == io::FileType::kFile) paths.push_back(CheckpointPath());
    return paths.empty() ? Status::OK() : fs_->DeleteMany(paths);
  }

 private:
  std::shared_ptr<io::FileSystem> fs_;
};

}  // namespace

std::string MovedNotePath() { return std::string(kLedgerDir) + "/_moved.json"; }

Result<std::unique_ptr<CommitLogStore>> OpenEmbeddedLog(std::shared_ptr<io::FileSystem> fs,
                                                        bool allow_moved) {
  if (!allow_moved) {
    Result<std::string> note = fs->ReadFile(MovedNotePath());
    if (note.ok()) {
      std::string where(Trim(*note));
      return Status::InvalidArgument(fmt::format(
          "the commit log of {} was moved to PostgreSQL ({}): pass --commit-log with that URI "
          "(or SALESLAKE_COMMIT_LOG), or move it back with 'saleslake commit-log move --to "
          "embedded'",
          fs->root_uri(), where));
    }
    if (!note.status().IsNotFound()) return note.status();
  }
  return std::unique_ptr<CommitLogStore>(new EmbeddedCommitLog(std::move(fs)));
}

Result<std::unique_ptr<CommitLogStore>> OpenCommitLogStore(std::shared_ptr<io::FileSystem> fs,
                                                           std::string_view uri) {
  if (uri.empty() || uri == "embedded") return OpenEmbeddedLog(std::move(fs));
  if (IsPostgresUri(uri)) return OpenPgCommitLog(std::move(fs), uri);
  return Status::InvalidArgument(fmt::format(
      "--commit-log '{}' is neither 'embedded' nor a postgresql:// URI", RedactCommitLogUri(uri)));
}

std::string CommitLogFlag() { return GetCommitLogFlag(); }

}  // namespace saleslake::lake
