#include "lake/task_queue.h"

#include <fmt/format.h>

#include <cstdlib>

#include "lake/pg_commit_log.h"

namespace saleslake::lake {

Result<std::unique_ptr<TaskQueue>> TaskQueue::Open(std::string_view uri) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, PgConnection::Connect(uri));
  SL_ASSIGN_OR_RETURN(int version, PgSchemaVersion(conn.get()));
  if (version != kPgSchemaVersion) {
    return Status::InvalidArgument(
        fmt::format("commit log {} has schema version {} (this saleslake needs {}): run "
                    "'saleslake commit-log migrate --commit-log {}'",
                    conn->described(), version, kPgSchemaVersion, conn->described()));
  }
  return std::unique_ptr<TaskQueue>(new TaskQueue(std::move(conn)));
}

Status TaskQueue::Enqueue(std::string_view run_id, const std::vector<TaskSpec>& tasks,
                          int max_attempts) {
  return conn_->Transact([&]() -> Status {
    for (const TaskSpec& t : tasks) {
      SL_RETURN_IF_ERROR(
          conn_
              ->Exec("INSERT INTO {s}.tasks (run_id, phase, kind, input, max_attempts) VALUES "
                     "($1, $2, $3, $4, $5) ON CONFLICT (run_id, kind, input) DO NOTHING",
                     {std::string(run_id), std::to_string(t.phase), t.kind, t.input,
                      std::to_string(max_attempts)})
              .status());
    }
    return Status::OK();
  });
}

Status TaskQueue::RegisterWorker(std::string_view worker_id, std::string_view host, int64_t pid) {
  return conn_
      ->Exec(
          "INSERT INTO {s}.workers (id, host, pid) VALUES ($1, $2, $3) ON CONFLICT (id) DO "
          "UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, state = 'running', "
          "seen_at = now()",
          {std::string(worker_id), std::string(host), std::to_string(pid)})
      .status();
}

Status TaskQueue::WorkerStopped(std::string_view worker_id) {
  return conn_
      ->Exec("UPDATE {s}.workers SET state = 'stopped', seen_at = now() WHERE id = $1",
             {std::string(worker_id)})
      .status();
}

Result<std::optional<ClaimedTask>> TaskQueue::Claim(std::string_view worker_id, int lease_seconds) {
  std::optional<ClaimedTask> claimed;
  SL_RETURN_IF_ERROR(conn_->Transact([&]() -> Status {
    claimed.reset();
    SL_RETURN_IF_ERROR(
        conn_
            ->Exec("UPDATE {s}.tasks SET state = 'failed', updated_at = now(), last_error = "
                   "coalesce(last_error, 'its lease expired on every attempt') WHERE state = "
                   "'running' AND lease_expires_at < now() AND attempts >= max_attempts")
            .status());
    SL_ASSIGN_OR_RETURN(
        PgRows r,
        conn_->Exec(
            "WITH next AS ("
            "  SELECT t.id FROM {s}.tasks t"
            "  WHERE (t.state = 'queued' OR (t.state = 'running' AND t.lease_expires_at < now()))"
            "    AND NOT EXISTS (SELECT 1 FROM {s}.tasks d WHERE d.run_id = t.run_id"
            "                    AND d.phase < t.phase AND d.state <> 'done')"
            "  ORDER BY t.phase, t.id LIMIT 1 FOR UPDATE SKIP LOCKED)"
            " UPDATE {s}.tasks t SET state = 'running', token = nextval('{s}.fencing_tokens'),"
            "   worker_id = $1, attempts = t.attempts + 1, updated_at = now(),"
            "   lease_expires_at = now() + make_interval(secs => $2)"
            " FROM next WHERE t.id = next.id"
            " RETURNING t.id, t.run_id, t.phase, t.kind, t.input, t.token, t.attempts",
            {std::string(worker_id), std::to_string(lease_seconds)}));
    if (!r.empty()) {
      ClaimedTask t;
      t.id = r.Int(0, 0);
      t.run_id = r.Text(0, 1);
      t.phase = static_cast<int>(r.Int(0, 2));
      t.kind = r.Text(0, 3);
      t.input = r.Text(0, 4);
      t.token = r.Int(0, 5);
      t.attempts = static_cast<int>(r.Int(0, 6));
      claimed = std::move(t);
    }
    return conn_
        ->Exec("UPDATE {s}.workers SET seen_at = now() WHERE id = $1", {std::string(worker_id)})
        .status();
  }));
  return claimed;
}

Result<bool> TaskQueue::Renew(const ClaimedTask& task, int lease_seconds) {
  SL_ASSIGN_OR_RETURN(
      PgRows r, conn_->Exec("UPDATE {s}.tasks SET lease_expires_at = now() + make_interval(secs "
                            "=> $3), updated_at = now() WHERE id = $1 AND token = $2 AND state = "
                            "'running'",
                            {std::to_string(task.id), std::to_string(task.token),
                             std::to_string(lease_seconds)}));
  return r.affected == 1;
}

Status TaskQueue::Complete(const ClaimedTask& task, std::string_view result,
                           const std::vector<TaskSpec>& then) {
  bool held = false;
  SL_RETURN_IF_ERROR(conn_->Transact([&]() -> Status {
    SL_ASSIGN_OR_RETURN(
        PgRows r,
        conn_->Exec("UPDATE {s}.tasks SET state = 'done', result = $3, lease_expires_at = NULL, "
                    "updated_at = now() WHERE id = $1 AND token = $2 AND state = 'running' "
                    "RETURNING max_attempts",
                    {std::to_string(task.id), std::to_string(task.token), std::string(result)}));
    held = r.affected == 1;
    if (!held) return Status::OK();
    const std::string max_attempts = r.Text(0, 0);
    for (const TaskSpec& t : then) {
      SL_RETURN_IF_ERROR(
          conn_
              ->Exec("INSERT INTO {s}.tasks (run_id, phase, kind, input, max_attempts) VALUES "
                     "($1, $2, $3, $4, $5) ON CONFLICT (run_id, kind, input) DO NOTHING",
                     {task.run_id, std::to_string(t.phase), t.kind, t.input, max_attempts})
              .status());
    }
    return conn_
        ->Exec(
            "UPDATE {s}.workers SET tasks_done = tasks_done + 1, seen_at = now() WHERE id = "
            "(SELECT worker_id FROM {s}.tasks WHERE id = $1)",
            {std::to_string(task.id)})
        .status();
  }));
  if (held) return Status::OK();
  return Refuse(task);
}

Result<bool> TaskQueue::Holds(const ClaimedTask& task) {
  SL_ASSIGN_OR_RETURN(PgRows r, conn_->Exec("SELECT 1 FROM {s}.tasks WHERE id = $1 AND token = $2 "
                                            "AND state = 'running'",
                                            {std::to_string(task.id), std::to_string(task.token)}));
  return !r.empty();
}

Status TaskQueue::Refuse(const ClaimedTask& task) {
  (void)conn_->Exec("UPDATE {s}.tasks SET refused_commits = refused_commits + 1 WHERE id = $1",
                    {std::to_string(task.id)});
  return Status::Aborted(
      fmt::format("task {} ({}) was taken over (fencing token {} is stale): its result is refused",
                  task.id, task.kind, task.token));
}

Status TaskQueue::Release(const ClaimedTask& task) {
  return conn_
      ->Exec(
          "UPDATE {s}.tasks SET state = 'queued', attempts = greatest(attempts - 1, 0), "
          "lease_expires_at = NULL, worker_id = NULL, updated_at = now() WHERE id = $1 AND "
          "token = $2 AND state = 'running'",
          {std::to_string(task.id), std::to_string(task.token)})
      .status();
}

Status TaskQueue::Fail(const ClaimedTask& task, std::string_view error) {
  return conn_
      ->Exec(
          "UPDATE {s}.tasks SET state = CASE WHEN attempts >= max_attempts THEN 'failed' "
          "ELSE 'queued' END, last_error = $3, lease_expires_at = NULL, updated_at = now() "
          "WHERE id = $1 AND token = $2 AND state = 'running'",
          {std::to_string(task.id), std::to_string(task.token), std::string(error)})
      .status();
}

Result<std::map<std::string, int64_t>> TaskQueue::RunProgress(std::string_view run_id) {
  SL_ASSIGN_OR_RETURN(
      PgRows r,
      conn_->Exec("SELECT state, count(*) FROM {s}.tasks WHERE run_id = $1 GROUP BY state",
                  {std::string(run_id)}));
  std::map<std::string, int64_t> out;
  for (size_t i = 0; i < r.rows.size(); ++i) out[r.Text(i, 0)] = r.Int(i, 1);
  return out;
}

Result<std::string> TaskQueue::RunResult(std::string_view run_id) {
  SL_ASSIGN_OR_RETURN(PgRows r, conn_->Exec("SELECT coalesce(result, '') FROM {s}.tasks WHERE "
                                            "run_id = $1 AND state = 'done' ORDER BY phase DESC, "
                                            "id DESC LIMIT 1",
                                            {std::string(run_id)}));
  return r.empty() ? std::string() : r.Text(0, 0);
}

Result<std::vector<std::string>> TaskQueue::PhaseResults(std::string_view run_id, int phase) {
  SL_ASSIGN_OR_RETURN(PgRows r, conn_->Exec("SELECT coalesce(result, '') FROM {s}.tasks WHERE "
                                            "run_id = $1 AND phase = $2 AND state = 'done' "
                                            "ORDER BY id",
                                            {std::string(run_id), std::to_string(phase)}));
  std::vector<std::string> out;
  for (size_t i = 0; i < r.rows.size(); ++i) out.push_back(r.Text(i, 0));
  return out;
}

Result<int64_t> TaskQueue::AbandonOtherRuns(std::string_view run_id) {
  SL_ASSIGN_OR_RETURN(
      PgRows r,
      conn_->Exec("UPDATE {s}.tasks SET state = 'failed', lease_expires_at = NULL, updated_at = "
                  "now(), last_error = 'abandoned: run ' || $1 || ' of the lake superseded it' "
                  "WHERE run_id <> $1 AND state IN ('queued', 'running')",
                  {std::string(run_id)}));
  return static_cast<int64_t>(r.affected);
}

Result<bool> TaskQueue::FirstOfKind(const ClaimedTask& task) {
  SL_ASSIGN_OR_RETURN(PgRows r, conn_->Exec("SELECT min(id) FROM {s}.tasks WHERE run_id = $1 AND "
                                            "kind = $2",
                                            {task.run_id, task.kind}));
  return !r.empty() && r.Int(0, 0) == task.id;
}

Result<std::string> TaskQueue::RunFailure(std::string_view run_id) {
  SL_ASSIGN_OR_RETURN(PgRows r, conn_->Exec("SELECT kind, input, coalesce(last_error, '') FROM "
                                            "{s}.tasks WHERE run_id = $1 AND state = 'failed' "
                                            "ORDER BY id LIMIT 1",
                                            {std::string(run_id)}));
  if (r.empty()) return std::string();
  return fmt::format("task {} {} failed: {}", r.Text(0, 0), r.Text(0, 1), r.Text(0, 2));
}

Result<QueueStatus> TaskQueue::Overview() {
  QueueStatus out;
  SL_ASSIGN_OR_RETURN(PgRows states,
                      conn_->Exec("SELECT state, count(*), coalesce(sum(greatest(attempts - 1, "
                                  "0)), 0), coalesce(sum(refused_commits), 0), "
                                  "coalesce(sum(attempts), 0) FROM {s}.tasks GROUP BY state "
                                  "ORDER BY state"));
  for (size_t i = 0; i < states.rows.size(); ++i) {
    out.tasks_by_state[states.Text(i, 0)] = states.Int(i, 1);
    out.retries += states.Int(i, 2);
    out.refused_commits += states.Int(i, 3);
    out.claims += states.Int(i, 4);
  }
  SL_ASSIGN_OR_RETURN(
      PgRows workers,
      conn_->Exec("SELECT id, host, pid, state, to_char(seen_at AT TIME ZONE 'UTC', "
                  "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), tasks_done FROM {s}.workers ORDER BY id"));
  for (size_t i = 0; i < workers.rows.size(); ++i) {
    out.workers.push_back(WorkerInfo{workers.Text(i, 0), workers.Text(i, 1), workers.Int(i, 2),
                                     workers.Text(i, 3), workers.Text(i, 4), workers.Int(i, 5)});
  }
  SL_ASSIGN_OR_RETURN(
      PgRows leases,
      conn_->Exec("SELECT id, kind, input, coalesce(worker_id, ''), token, extract(epoch FROM "
                  "lease_expires_at - now()) FROM {s}.tasks WHERE state = 'running' ORDER BY id"));
  for (size_t i = 0; i < leases.rows.size(); ++i) {
    out.leases.push_back(LeaseInfo{leases.Int(i, 0), leases.Text(i, 1), leases.Text(i, 2),
                                   leases.Text(i, 3), leases.Int(i, 4),
                                   std::strtod(leases.Text(i, 5).c_str(), nullptr)});
  }
  return out;
}

}  // namespace saleslake::lake
