#include "lake/pg_commit_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "lake/ledger_json.h"

namespace saleslake::lake {
namespace {

// Each step brings the schema from version i to i + 1 (kMigrations[i]).
constexpr std::string_view kMigrations[] = {
    // 1: the commit log.
    R"sql(
CREATE TABLE {s}.log_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE {s}.log_head (id int PRIMARY KEY CHECK (id = 1), last_seq bigint NOT NULL);
INSERT INTO {s}.log_head VALUES (1, 0);
CREATE TABLE {s}.commits (
  seq bigint PRIMARY KEY,
  kind text NOT NULL,
  run_id text NOT NULL,
  committed_at timestamptz NOT NULL,
  finished boolean NOT NULL DEFAULT false,
  record text NOT NULL);
CREATE INDEX commits_unfinished ON {s}.commits (seq) WHERE NOT finished;
CREATE TABLE {s}.checkpoints (seq bigint PRIMARY KEY, format int NOT NULL, state text NOT NULL);
)sql",
    // 2: workers and tasks with leases and fencing tokens.
    R"sql(
CREATE SEQUENCE {s}.fencing_tokens;
CREATE TABLE {s}.workers (
  id text PRIMARY KEY,
  host text NOT NULL,
  pid bigint NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  seen_at timestamptz NOT NULL DEFAULT now(),
  state text NOT NULL DEFAULT 'running',
  tasks_done bigint NOT NULL DEFAULT 0);
CREATE TABLE {s}.tasks (
  id bigserial PRIMARY KEY,
  run_id text NOT NULL,
  phase int NOT NULL,
  kind text NOT NULL,
  input text NOT NULL,
  state text NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  max_attempts int NOT NULL DEFAULT 5,
  token bigint,
  worker_id text,
  lease_expires_at timestamptz,
  refused_commits int NOT NULL DEFAULT 0,
  last_error text,
  result text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (run_id, kind, input));
CREATE INDEX tasks_claimable ON {s}.tasks (phase, id) WHERE state IN ('queued', 'running');
)sql",
};
static_assert(std::size(kMigrations) == kPgSchemaVersion);

std::string SeqList(const std::vector<uint64_t>& seqs) {
  std::string out = "{";
  for (size_t i = 0; i < seqs.size(); ++i) out += (i ? "," : "") + std::to_string(seqs[i]);
  return out + "}";
}

class PgCommitLog final : public CommitLogStore {
 public:
  PgCommitLog(std::unique_ptr<PgConnection> conn, std::string lake)
      : conn_(std::move(conn)), lake_(std::move(lake)) {}

  std::string Describe() const override { return conn_->described(); }
  bool embedded() const override { return false; }

  Result<std::optional<LedgerState>> ReadCheckpoint() override {
    SL_ASSIGN_OR_RETURN(PgRows r,
                        conn_->Exec("SELECT state FROM {s}.checkpoints ORDER BY seq DESC LIMIT 1"));
    if (r.empty()) return std::optional<LedgerState>();
    SL_ASSIGN_OR_RETURN(LedgerState state,
                        StateFromJson(r.Text(0, 0), Describe() + " checkpoints"));
    return std::optional<LedgerState>(std::move(state));
  }

  Result<std::vector<uint64_t>> CommitSeqs() override {
    SL_ASSIGN_OR_RETURN(PgRows r, conn_->Exec("SELECT seq FROM {s}.commits ORDER BY seq"));
    std::vector<uint64_t> out;
    for (size_t i = 0; i < r.rows.size(); ++i) out.push_back(static_cast<uint64_t>(r.Int(i, 0)));
    return out;
  }

  Result<LedgerCommit> ReadCommit(uint64_t seq) override {
    SL_ASSIGN_OR_RETURN(PgRows r, conn_->Exec("SELECT record FROM {s}.commits WHERE seq = $1",
                                              {std::to_string(seq)}));
    if (r.empty()) {
      return Status::NotFound(fmt::format("commit {} is not in {}", seq, Describe()));
    }
    return CommitFromJson(r.Text(0, 0), fmt::format("{} commit {}", Describe(), seq));
  }

  Status Append(LedgerCommit* commit, LedgerState* state, const CommitFence* fence) override {
    bool fence_refused = false;
    Status st = conn_->Transact([&]() -> Status {
      fence_refused = false;
      SL_ASSIGN_OR_RETURN(PgRows head,
                          conn_->Exec("SELECT last_seq FROM {s}.log_head WHERE id = 1 FOR UPDATE"));
      const uint64_t last = static_cast<uint64_t>(head.Int(0, 0));
      if (fence != nullptr) {
        SL_ASSIGN_OR_RETURN(
            PgRows held,
            conn_->Exec("SELECT 1 FROM {s}.tasks WHERE id = $1 AND token = $2 AND state = "
                        "'running' FOR UPDATE",
                        {std::to_string(fence->task_id), std::to_string(fence->token)}));
        if (held.empty()) {
          fence_refused = true;
          return Status::Aborted(fmt::format(
              "commit of task {} refused: its lease (fencing token {}) was taken over or the "
              "task was finished by another worker; the files it wrote are left for vacuum",
              fence->task_id, fence->token));
        }
      }
      // Others' commits are applied only after the fence held: a stale worker is told so, not
      // that its work conflicts.
      if (last > state->last_seq) SL_RETURN_IF_ERROR(CatchUp(*commit, state));
      commit->seq = state->last_seq + 1;
      SL_RETURN_IF_ERROR(
          conn_
              ->Exec("INSERT INTO {s}.commits (seq, kind, run_id, committed_at, record) VALUES "
                     "($1, $2, $3, to_timestamp($4::double precision / 1e6), $5)",
                     {std::to_string(commit->seq), commit->kind, commit->run_id,
                      std::to_string(commit->committed_at_micros), CommitToJson(*commit)})
              .status());
      SL_RETURN_IF_ERROR(conn_
                             ->Exec("UPDATE {s}.log_head SET last_seq = $1 WHERE id = 1",
                                    {std::to_string(commit->seq)})
                             .status());
      return conn_
          ->Exec("INSERT INTO {s}.log_meta VALUES ('lake', $1) ON CONFLICT DO NOTHING", {lake_})
          .status();
    });
    if (fence_refused) {
      // Counted outside the refused transaction, so the count survives its rollback.
      (void)conn_->Exec("UPDATE {s}.tasks SET refused_commits = refused_commits + 1 WHERE id = $1",
                        {std::to_string(fence->task_id)});
    }
    SL_RETURN_IF_ERROR(st);
    ApplyCommit(*commit, state);
    return Status::OK();
  }

  Result<std::vector<uint64_t>> UnfinishedCommits(const LedgerState&) override {
    SL_ASSIGN_OR_RETURN(PgRows r,
                        conn_->Exec("SELECT seq FROM {s}.commits WHERE NOT finished ORDER BY seq"));
    std::vector<uint64_t> out;
    for (size_t i = 0; i < r.rows.size(); ++i) out.push_back(static_cast<uint64_t>(r.Int(i, 0)));
    return out;
  }

  Status MarkFinished(uint64_t seq) override {
    return conn_
        ->Exec("UPDATE {s}.commits SET finished = true WHERE seq = $1 AND NOT finished",
               {std::to_string(seq)})
        .status();
  }

  Status WriteCheckpoint(const LedgerState& state) override {
    return conn_->Transact([&]() -> Status {
      SL_RETURN_IF_ERROR(
          conn_
              ->Exec("INSERT INTO {s}.checkpoints VALUES ($1, $2, $3) ON CONFLICT (seq) DO UPDATE "
                     "SET format = EXCLUDED.format, state = EXCLUDED.state",
                     {std::to_string(state.last_seq), std::to_string(state.format),
                      StateToJson(state)})
              .status());
      return conn_
          ->Exec("DELETE FROM {s}.checkpoints WHERE seq < $1", {std::to_string(state.last_seq)})
          .status();
    });
  }

  Status DeleteCommits(const std::vector<uint64_t>& seqs) override {
    return conn_->Exec("DELETE FROM {s}.commits WHERE seq = ANY($1::bigint[])", {SeqList(seqs)})
        .status();
  }

  Result<bool> IsEmpty() override {
    SL_ASSIGN_OR_RETURN(
        PgRows r, conn_->Exec("SELECT (SELECT count(*) FROM {s}.commits) + (SELECT count(*) FROM "
                              "{s}.checkpoints)"));
    return r.Int(0, 0) == 0;
  }

  Status ImportCommit(const LedgerCommit& commit) override {
    return conn_->Transact([&]() -> Status {
      SL_RETURN_IF_ERROR(
          conn_
              ->Exec("INSERT INTO {s}.commits (seq, kind, run_id, committed_at, finished, record) "
                     "VALUES ($1, $2, $3, to_timestamp($4::double precision / 1e6), true, $5)",
                     {std::to_string(commit.seq), commit.kind, commit.run_id,
                      std::to_string(commit.committed_at_micros), CommitToJson(commit)})
              .status());
      SL_RETURN_IF_ERROR(
          conn_
              ->Exec("UPDATE {s}.log_head SET last_seq = greatest(last_seq, $1) WHERE id = 1",
                     {std::to_string(commit.seq)})
              .status());
      return conn_
          ->Exec("INSERT INTO {s}.log_meta VALUES ('lake', $1) ON CONFLICT DO NOTHING", {lake_})
          .status();
    });
  }

  Status Clear() override {
    return conn_->Transact([&]() -> Status {
      SL_RETURN_IF_ERROR(
          conn_->ExecScript("DELETE FROM {s}.commits; DELETE FROM {s}.checkpoints; "
                            "DELETE FROM {s}.log_meta WHERE key <> 'moved_to'; "
                            "UPDATE {s}.log_head SET last_seq = 0"));
      return Status::OK();
    });
  }

  Status SetMovedTo(std::string_view where) override {
    if (where.empty()) {
      return conn_->Exec("DELETE FROM {s}.log_meta WHERE key = 'moved_to'").status();
    }
    return conn_
        ->Exec(
            "INSERT INTO {s}.log_meta VALUES ('moved_to', $1) ON CONFLICT (key) DO UPDATE SET "
            "value = EXCLUDED.value",
            {std::string(where)})
        .status();
  }

 private:
  // Applies the commits others made since `state` (inside the commit's transaction, after the
  // head is locked, so no more can appear), refusing `commit` if one of them conflicts with it.
  Status CatchUp(const LedgerCommit& commit, LedgerState* state) {
    SL_ASSIGN_OR_RETURN(
        PgRows r, conn_->Exec("SELECT seq, record FROM {s}.commits WHERE seq > $1 ORDER BY seq",
                              {std::to_string(state->last_seq)}));
    if (r.empty() || static_cast<uint64_t>(r.Int(0, 0)) != state->last_seq + 1) {
      return Status::Aborted(fmt::format(
          "commit log {} moved past commit {} and its history expired: open the lake again",
          Describe(), state->last_seq));
    }
    std::set<std::string> removes(commit.removed.begin(), commit.removed.end());
    std::set<std::string> consumes(commit.consumed_batches.begin(), commit.consumed_batches.end());
    for (size_t i = 0; i < r.rows.size(); ++i) {
      SL_ASSIGN_OR_RETURN(
          LedgerCommit other,
          CommitFromJson(r.Text(i, 1), fmt::format("{} commit {}", Describe(), r.Text(i, 0))));
      for (const std::string& path : other.removed) {
        if (removes.count(path)) return Conflict(commit, other, "removed " + path);
      }
      for (const std::string& id : other.consumed_batches) {
        if (consumes.count(id)) return Conflict(commit, other, "consumed batch " + id);
      }
      for (const LedgerFile& f : other.added) {
        if (removes.count(f.path)) return Conflict(commit, other, "replaced " + f.path);
      }
      ApplyCommit(other, state);
    }
    return Status::OK();
  }

  Status Conflict(const LedgerCommit& mine, const LedgerCommit& other, const std::string& what) {
    return Status::Aborted(
        fmt::format("{} commit conflicts with commit {} ({} {}), which {} first; run it again",
                    mine.kind, other.seq, other.kind, other.run_id, what));
  }

  std::unique_ptr<PgConnection> conn_;
  std::string lake_;
};

}  // namespace

Result<int> PgSchemaVersion(PgConnection* conn) {
  SL_ASSIGN_OR_RETURN(PgRows exists, conn->Exec("SELECT to_regclass($1) IS NOT NULL",
                                                {conn->schema() + ".schema_version"}));
  if (exists.Text(0, 0) != "t") return 0;
  SL_ASSIGN_OR_RETURN(PgRows r,
                      conn->Exec("SELECT coalesce(max(version), 0) FROM {s}.schema_version"));
  return static_cast<int>(r.Int(0, 0));
}

Result<int> MigratePgSchema(PgConnection* conn) {
  int found = -1;
  SL_RETURN_IF_ERROR(conn->Transact([&]() -> Status {
    // One migration at a time per schema, whoever runs it.
    SL_RETURN_IF_ERROR(conn->Exec("SELECT pg_advisory_xact_lock(hashtext($1))",
                                  {"saleslake.migrate." + conn->schema_name()})
                           .status());
    SL_RETURN_IF_ERROR(conn->ExecScript(
        "CREATE SCHEMA IF NOT EXISTS {s}; CREATE TABLE IF NOT EXISTS {s}.schema_version ("
        "version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"));
    SL_ASSIGN_OR_RETURN(int version, PgSchemaVersion(conn));
    if (found < 0) found = version;
    if (version > kPgSchemaVersion) {
      return Status::InvalidArgument(fmt::format(
          "commit log {} has schema version {}, newer than this saleslake's {}: upgrade saleslake",
          conn->described(), version, kPgSchemaVersion));
    }
    for (int v = version; v < kPgSchemaVersion; ++v) {
      SL_RETURN_IF_ERROR(conn->ExecScript(kMigrations[v]));
      SL_RETURN_IF_ERROR(conn->Exec("INSERT INTO {s}.schema_version (version) VALUES ($1)",
                                    {std::to_string(v + 1)})
                             .status());
    }
    return Status::OK();
  }));
  return found;
}

Result<std::unique_ptr<CommitLogStore>> OpenPgCommitLog(std::shared_ptr<io::FileSystem> fs,
                                                        std::string_view uri, bool allow_moved) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, PgConnection::Connect(uri));
  SL_ASSIGN_OR_RETURN(int version, PgSchemaVersion(conn.get()));
  if (version != kPgSchemaVersion) {
    if (version > kPgSchemaVersion) {
      return Status::InvalidArgument(fmt::format(
          "commit log {} has schema version {}, newer than this saleslake's {}: upgrade saleslake",
          conn->described(), version, kPgSchemaVersion));
    }
    return Status::InvalidArgument(fmt::format(
        "commit log {} has {}: run 'saleslake commit-log migrate --commit-log {}'",
        conn->described(),
        version == 0
            ? std::string("no saleslake schema")
            : fmt::format("schema version {} (this saleslake needs {})", version, kPgSchemaVersion),
        conn->described()));
  }
  SL_ASSIGN_OR_RETURN(PgRows meta, conn->Exec("SELECT key, value FROM {s}.log_meta"));
  for (size_t i = 0; i < meta.rows.size(); ++i) {
    if (meta.Text(i, 0) == "moved_to" && !allow_moved) {
      return Status::InvalidArgument(fmt::format(
          "the commit log in {} was moved back into the lake ({}): run without --commit-log, or "
          "move it here again with 'saleslake commit-log move --to {}'",
          conn->described(), meta.Text(i, 1), conn->described()));
    }
    if (meta.Text(i, 0) == "lake" && meta.Text(i, 1) != fs->root_uri()) {
      return Status::InvalidArgument(fmt::format(
          "commit log {} belongs to the lake {}, not {}: give each lake its own database or "
          "?schema=NAME",
          conn->described(), meta.Text(i, 1), fs->root_uri()));
    }
  }
  return std::unique_ptr<CommitLogStore>(new PgCommitLog(std::move(conn), fs->root_uri()));
}

}  // namespace saleslake::lake
