#include "pipeline/ledger.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "base/clock.h"
#include "io/path.h"
#include "pipeline/ledger_json.h"

namespace saleslake::pipeline {
namespace {

constexpr uint64_t kCheckpointEvery = 64;
constexpr std::string_view kCheckpointName = "_checkpoint.json";
constexpr std::string_view kPendingPrefix = "_pending-";
constexpr std::string_view kPendingSuffix = ".pending";

// "00000000000000000042.json" -> 42; anything else -> 0.
uint64_t SeqFromName(std::string_view name) {
  if (name.size() != 25 || name.substr(20) != ".json") return 0;
  uint64_t seq = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + 20, seq);
  if (ec != std::errc() || ptr != name.data() + 20) return 0;
  return seq;
}

void Apply(const LedgerCommit& c, LedgerState* state) {
  for (const std::string& path : c.removed) state->files.erase(path);
  for (const LedgerFile& f : c.added) state->files[f.path] = f;
  for (const std::string& id : c.landed_batches) {
    BatchRecord& b = state->batches[id];
    b.id = id;
    b.extract_seq = c.seq;
  }
  for (const std::string& id : c.consumed_batches) {
    auto it = state->batches.find(id);
    if (it != state->batches.end()) it->second.transform_seq = c.seq;
  }
  state->last_seq = c.seq;
}

// The lake's data layers: the only places where the ledger owns every file.
bool IsInDataLayer(std::string_view path) {
  return io::IsInside(path, "raw") || io::IsInside(path, "quarantine") ||
         io::IsInside(path, "main");
}

}  // namespace

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

std::string PendingPath(std::string_view final_path) {
  std::string_view dir = io::ParentPath(final_path);
  std::string base(kPendingPrefix);
  base += io::BaseName(final_path);
  base += kPendingSuffix;
  return io::JoinPath(dir, base);
}

bool IsPendingName(std::string_view base) {
  return base.size() > kPendingPrefix.size() + kPendingSuffix.size() &&
         base.substr(0, kPendingPrefix.size()) == kPendingPrefix &&
         base.substr(base.size() - kPendingSuffix.size()) == kPendingSuffix;
}

std::string CommitPath(uint64_t seq) { return fmt::format("{}/{:020}.json", kLedgerDir, seq); }

Result<std::unique_ptr<Ledger>> Ledger::Open(std::shared_ptr<io::FileSystem> fs, bool recover) {
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(fs)));
  SL_RETURN_IF_ERROR(ledger->Load());
  if (recover && ledger->state_.last_seq > 0) {
    SL_ASSIGN_OR_RETURN(LedgerCommit last, ledger->ReadCommit(ledger->state_.last_seq));
    SL_RETURN_IF_ERROR(ledger->Finish(last).WithContext("recovering the last commit"));
  }
  return ledger;
}

Status Ledger::Load() {
  SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries,
                      fs_->List(kLedgerDir, io::ListOptions{.recursive = false}));
  std::vector<uint64_t> seqs;
  bool has_checkpoint = false;
  for (const io::FileInfo& e : entries) {
    std::string_view base = io::BaseName(e.path);
    if (base == kCheckpointName) has_checkpoint = true;
    if (uint64_t seq = SeqFromName(base); seq > 0) seqs.push_back(seq);
  }
  std::sort(seqs.begin(), seqs.end());
  state_ = LedgerState{};
  if (has_checkpoint) {
    std::string path = io::JoinPath(kLedgerDir, kCheckpointName);
    SL_ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(path));
    SL_ASSIGN_OR_RETURN(state_, StateFromJson(text, path));
  }
  uint64_t expected = state_.last_seq + 1;
  for (uint64_t seq : seqs) {
    if (seq <= state_.last_seq) continue;
    if (seq != expected) {
      return Status::Corruption(fmt::format(
          "ledger of {} is missing commit {} (found {} next): the lake's _ledger/ was damaged; "
          "restore it from a backup",
          fs_->root_uri(), expected, seq));
    }
    SL_ASSIGN_OR_RETURN(LedgerCommit c, ReadCommit(seq));
    Apply(c, &state_);
    ++expected;
  }
  return Status::OK();
}

Result<LedgerCommit> Ledger::ReadCommit(uint64_t seq) const {
  std::string path = CommitPath(seq);
  SL_ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(path));
  SL_ASSIGN_OR_RETURN(LedgerCommit c, CommitFromJson(text, path));
  if (c.seq != seq) {
    return Status::Corruption(fmt::format("{} says it is commit {}", path, c.seq));
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

Status Ledger::Commit(LedgerCommit* commit) {
  commit->seq = state_.last_seq + 1;
  commit->committed_at_micros = now_ ? now_() : NowMicros();
  // Every added file must be staged: committing a name with no bytes behind it would lose data.
  for (const LedgerFile& f : commit->added) {
    SL_ASSIGN_OR_RETURN(io::FileInfo info, fs_->GetFileInfo(PendingPath(f.path)));
    if (info.type != io::FileType::kFile) {
      return Status::Internal(
          fmt::format("commit of {} names no staged file {}", commit->kind, PendingPath(f.path)));
    }
  }
  SL_RETURN_IF_ERROR(fs_->WriteFile(CommitPath(commit->seq), CommitToJson(*commit)));
  Apply(*commit, &state_);
  SL_RETURN_IF_ERROR(Finish(*commit));
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
  return fs_->WriteFile(io::JoinPath(kLedgerDir, kCheckpointName), StateToJson(state_));
}

Result<std::vector<std::string>> Ledger::FindOrphans() const {
  io::ListOptions options;
  options.include_temporaries = true;
  SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> all, fs_->List("", options));
  std::set<std::string> staged;
  if (state_.last_seq > 0) {
    // The last commit's pending files are not orphans: Finish() may still publish them.
    SL_ASSIGN_OR_RETURN(LedgerCommit last, ReadCommit(state_.last_seq));
    for (const LedgerFile& f : last.added) staged.insert(PendingPath(f.path));
  }
  std::vector<std::string> orphans;
  for (const io::FileInfo& f : all) {
    if (f.type != io::FileType::kFile || !IsInDataLayer(f.path)) continue;
    if (state_.files.count(f.path) || staged.count(f.path)) continue;
    orphans.push_back(f.path);
  }
  return orphans;
}

}  // namespace saleslake::pipeline
