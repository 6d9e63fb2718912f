#include "lake/ledger.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "base/clock.h"
#include "base/logging.h"
#include "io/path.h"
#include "lake/commit_log_store.h"
#include "lake/ledger_json.h"

namespace saleslake::lake {

void ApplyCommit(const LedgerCommit& c, LedgerState* state) {
  for (const std::string& path : c.removed) {
    auto it = state->files.find(path);
    if (it == state->files.end()) continue;
    state->table_versions[it->second.table] = c.seq;
    state->files.erase(it);
  }
  for (const LedgerFile& f : c.added) {
    state->files[f.path] = f;
    state->table_versions[f.table] = c.seq;
  }
  for (const std::string& id : c.landed_batches) {
    BatchRecord& b = state->batches[id];
    b.id = id;
    b.extract_seq = c.seq;
  }
  for (const std::string& id : c.consumed_batches) {
    auto it = state->batches.find(id);
    if (it != state->batches.end()) it->second.transform_seq = c.seq;
  }
  if (c.seq == 1) state->origin = c.run_id + "@" + std::to_string(c.committed_at_micros);
  state->last_seq = c.seq;
}

std::vector<LedgerFile> LedgerState::FilesOf(std::string_view table) const {
  std::vector<LedgerFile> out;
  for (const auto& [path, f] : files) {
    if (f.table == table) out.push_back(f);
  }
  return out;
}

std::vector<std::string> LedgerState::PendingBatches() const {
  std::vector<const BatchRecord*> pending;
  for (const auto& [id, b] : batches) {
    if (b.transform_seq == 0) pending.push_back(&b);
  }
  std::sort(pending.begin(), pending.end(), [](const BatchRecord* a, const BatchRecord* b) {
    return a->extract_seq != b->extract_seq ? a->extract_seq < b->extract_seq : a->id < b->id;
  });
  std::vector<std::string> out;
  for (const BatchRecord* b : pending) out.push_back(b->id);
  return out;
}

Ledger::Ledger(std::shared_ptr<io::FileSystem> fs, std::unique_ptr<CommitLogStore> store)
    : fs_(std::move(fs)), store_(std::move(store)) {}

Ledger::~Ledger() = default;

Result<std::unique_ptr<Ledger>> Ledger::Open(std::shared_ptr<io::FileSystem> fs, bool recover) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<CommitLogStore> store,
                      OpenCommitLogStore(fs, CommitLogFlag()));
  return Open(std::move(fs), std::move(store), recover);
}

Result<std::unique_ptr<Ledger>> Ledger::Open(std::shared_ptr<io::FileSystem> fs,
                                             std::unique_ptr<CommitLogStore> store, bool recover) {
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(fs), std::move(store)));
  SL_RETURN_IF_ERROR(ledger->Load());
  if (recover) {
    SL_ASSIGN_OR_RETURN(std::vector<uint64_t> unfinished,
                        ledger->store_->UnfinishedCommits(ledger->state_));
    for (uint64_t seq : unfinished) {
      SL_ASSIGN_OR_RETURN(LedgerCommit c, ledger->ReadCommit(seq));
      SL_RETURN_IF_ERROR(ledger->Finish(c).WithContext("recovering commit " + std::to_string(seq)));
      SL_RETURN_IF_ERROR(ledger->store_->MarkFinished(seq));
    }
  }
  if (recover && ledger->format_ < kLedgerFormat) {
    const uint32_t from = ledger->format_;
    SL_RETURN_IF_ERROR(ledger->WriteCheckpoint().WithContext("migrating the ledger"));
    log::Info("ledger.migrate", {{"lake", ledger->fs_->root_uri()},
                                 {"from_format", static_cast<int64_t>(from)},
                                 {"to_format", static_cast<int64_t>(kLedgerFormat)},
                                 {"seq", ledger->state_.last_seq}});
  }
  return ledger;
}

Status Ledger::Load() {
  SL_ASSIGN_OR_RETURN(std::optional<LedgerState> checkpoint, store_->ReadCheckpoint());
  SL_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, store_->CommitSeqs());
  state_ = LedgerState{};
  format_ = kLedgerFormat;
  commits_read_ = 0;
  checkpoint_seq_ = 0;
  if (checkpoint) {
    state_ = std::move(*checkpoint);
    format_ = state_.format;
    checkpoint_seq_ = state_.last_seq;
  }
  first_seq_ = seqs.empty() ? state_.last_seq + 1 : std::min(seqs.front(), state_.last_seq + 1);
  if (state_.origin.empty() && !seqs.empty() && seqs.front() == 1 && state_.last_seq >= 1) {
    SL_ASSIGN_OR_RETURN(LedgerCommit first, ReadCommit(1));  // a format-1 checkpoint
    state_.origin = first.run_id + "@" + std::to_string(first.committed_at_micros);
  }
  uint64_t expected = state_.last_seq + 1;
  for (uint64_t seq : seqs) {
    if (seq <= state_.last_seq) continue;
    if (seq != expected) {
      return Status::Corruption(
          fmt::format("commit log of {} ({}) is missing commit {} (found {} next): it was damaged; "
                      "restore it from a backup",
                      fs_->root_uri(), store_->Describe(), expected, seq));
    }
    SL_ASSIGN_OR_RETURN(LedgerCommit c, ReadCommit(seq));
    ApplyCommit(c, &state_);
    format_ = c.format;
    ++commits_read_;
    ++expected;
  }
  return Status::OK();
}

Result<LedgerCommit> Ledger::ReadCommit(uint64_t seq) const {
  SL_ASSIGN_OR_RETURN(LedgerCommit c, store_->ReadCommit(seq));
  if (c.seq != seq) {
    return Status::Corruption(
        fmt::format("commit record {} of {} says it is commit {}", seq, store_->Describe(), c.seq));
  }
  return c;
}

Result<std::vector<LedgerCommit>> Ledger::RecentCommits(size_t n) const {
  std::vector<LedgerCommit> out;
  for (uint64_t seq = state_.last_seq; seq > 0 && out.size() < n; --seq) {
    Result<LedgerCommit> c = ReadCommit(seq);
    if (!c.ok()) {
      if (c.status().IsNotFound()) break;  // pruned history
      return c.status();
    }
    out.push_back(std::move(c).value());
  }
  return out;
}

Status Ledger::Commit(LedgerCommit* commit, const CommitFence* fence) {
  if (fence == nullptr) fence = fence_;
  commit->committed_at_micros = now_ ? now_() : NowMicros();
  // Every added file must be staged: committing a name with no bytes behind it would lose data.
  for (const LedgerFile& f : commit->added) {
    SL_ASSIGN_OR_RETURN(io::FileInfo info, fs_->GetFileInfo(PendingPath(f.path)));
    if (info.type != io::FileType::kFile) {
      return Status::Internal(
          fmt::format("commit of {} names no staged file {}", commit->kind, PendingPath(f.path)));
    }
  }
  SL_RETURN_IF_ERROR(store_->Append(commit, &state_, fence));
  SL_RETURN_IF_ERROR(Finish(*commit));
  SL_RETURN_IF_ERROR(store_->MarkFinished(commit->seq));
  if (commit->seq % kCheckpointEvery == 0) SL_RETURN_IF_ERROR(WriteCheckpoint());
  return Status::OK();
}

Status Ledger::Finish(const LedgerCommit& commit) {
  for (const LedgerFile& f : commit.added) {
    std::string pending = PendingPath(f.path);
    SL_ASSIGN_OR_RETURN(io::FileInfo info, fs_->GetFileInfo(pending));
    if (info.type == io::FileType::kFile) SL_RETURN_IF_ERROR(fs_->Move(pending, f.path));
  }
  std::vector<std::string> drop;
  for (const std::string& path : commit.removed) {
    bool re_added = std::any_of(commit.added.begin(), commit.added.end(),
                                [&](const LedgerFile& f) { return f.path == path; });
    if (!re_added) drop.push_back(path);
  }
  if (!drop.empty()) SL_RETURN_IF_ERROR(fs_->DeleteMany(drop));
  return Status::OK();
}

Status Ledger::WriteCheckpoint() {
  LedgerState current = state_;
  current.format = kLedgerFormat;
  SL_RETURN_IF_ERROR(store_->WriteCheckpoint(current));
  state_.format = kLedgerFormat;
  format_ = kLedgerFormat;
  checkpoint_seq_ = state_.last_seq;
  return Status::OK();
}

Result<uint64_t> Ledger::ExpireSnapshots(int64_t before_micros) {
  if (state_.last_seq <= 1) return uint64_t{0};
  if (checkpoint_seq_ != state_.last_seq) SL_RETURN_IF_ERROR(WriteCheckpoint());
  SL_ASSIGN_OR_RETURN(std::vector<uint64_t> stored, store_->CommitSeqs());
  std::vector<uint64_t> seqs;
  for (uint64_t seq : stored) {
    if (seq < state_.last_seq) seqs.push_back(seq);
  }
  // Oldest first, stopping at the first one young enough to keep: history stays contiguous.
  std::vector<uint64_t> drop;
  for (uint64_t seq : seqs) {
    SL_ASSIGN_OR_RETURN(LedgerCommit c, ReadCommit(seq));
    if (c.committed_at_micros >= before_micros) break;
    drop.push_back(seq);
  }
  if (!drop.empty()) SL_RETURN_IF_ERROR(store_->DeleteCommits(drop));
  if (!drop.empty()) first_seq_ = seqs[drop.size() - 1] + 1;
  return static_cast<uint64_t>(drop.size());
}

Result<std::vector<std::string>> Ledger::FindOrphans() const {
  io::ListOptions options;
  options.include_temporaries = true;
  SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> all, fs_->List("", options));
  std::set<std::string> staged;
  // Pending files of unfinished commits (the last one, for the embedded log) are not orphans:
  // Finish() may still publish them.
  SL_ASSIGN_OR_RETURN(std::vector<uint64_t> unfinished, store_->UnfinishedCommits(state_));
  for (uint64_t seq : unfinished) {
    SL_ASSIGN_OR_RETURN(LedgerCommit c, ReadCommit(seq));
    for (const LedgerFile& f : c.added) staged.insert(PendingPath(f.path));
  }
  std::vector<std::string> orphans;
  for (const io::FileInfo& f : all) {
    if (f.type != io::FileType::kFile || !IsInDataLayer(f.path)) continue;
    if (state_.files.count(f.path) || staged.count(f.path)) continue;
    orphans.push_back(f.path);
  }
  return orphans;
}

}  // namespace saleslake::lake
