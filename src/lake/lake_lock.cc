#include "lake/lake_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>

#include "base/clock.h"
#include "base/hash.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "io/path.h"
#include "lake/ledger.h"

namespace saleslake::lake {
namespace {

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
  return buf;
}

// "pid 123 on host (saleslake transform) since 2026-11-26T10:00:00.000Z"
std::string Describe(std::string_view purpose) {
  return fmt::format("pid {} on {} ({}) since {}", getpid(), HostName(), purpose,
                     FormatIso8601Millis(NowMicros()));
}

Status Locked(const io::FileSystem& fs, std::string_view holder) {
  return Status::Aborted(fmt::format(
      "lake {} is locked by {}; wait for it to finish, or stop it, then retry", fs.root_uri(),
      holder.empty() ? std::string_view("another saleslake process") : holder));
}

class FlockLock final : public LakeLock {
 public:
  explicit FlockLock(int fd) : fd_(fd) {}
  ~FlockLock() override { ::close(fd_); }  // closing the descriptor releases the lock

 private:
  int fd_;
};

Result<std::unique_ptr<LakeLock>> AcquireFlock(const io::FileSystem& fs, const std::string& dir,
                                               std::string_view purpose) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError(fmt::format("cannot create {}: {}", dir, ec.message()));
  std::string path = dir + "/.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    char buf[512] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    if (err != EWOULDBLOCK) {
      return Status::IOError(fmt::format("cannot lock {}: {}", path, std::strerror(err)));
    }
    std::string holder(buf, n > 0 ? static_cast<size_t>(n) : 0);
    while (!holder.empty() && holder.back() == '\n') holder.pop_back();
    return Locked(fs, holder);
  }
  std::string me = Describe(purpose) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, me.data(), me.size(), 0) < 0) {
    // The lock is held; failing to describe it only makes others' messages vaguer.
  }
  return std::unique_ptr<LakeLock>(new FlockLock(fd));
}

std::mutex g_mem_mu;
std::set<std::string>& MemHeld() {
  static std::set<std::string> held;
  return held;
}

class MemLock final : public LakeLock {
 public:
  explicit MemLock(std::string root) : root_(std::move(root)) {}
  ~MemLock() override {
    std::lock_guard<std::mutex> lock(g_mem_mu);
    MemHeld().erase(root_);
  }

 private:
  std::string root_;
};

std::string ReadSmallFile(const char* path) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  char buf[1024] = {};
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  std::string out(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string BootId() { return ReadSmallFile("/proc/sys/kernel/random/boot_id"); }

// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. Together
// with the pid and the boot id it names one process (a pid alone is reused). "" when unknown.
std::string StartTime(int64_t pid) {
  const std::string stat = ReadSmallFile(fmt::format("/proc/{}/stat", pid).c_str());
  const size_t paren = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return "";
  size_t pos = paren + 1;
  for (int field = 3; field <= 22; ++field) {
    while (pos < stat.size() && stat[pos] == ' ') ++pos;
    const size_t end = std::min(stat.find(' ', pos), stat.size());
    if (field == 22) return stat.substr(pos, end - pos);
    pos = end;
  }
  return "";
}

std::string LeaseJson(const LeaseHolder& h) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("token", h.token);
  w.Field("expires_micros", h.expires_micros);
  w.Field("pid", h.pid);
  w.Field("host", h.host);
  w.Field("boot_id", h.boot_id);
  w.Field("start_time", h.start_time);
  w.Field("purpose", h.purpose);
  w.Field("since", h.since);
  w.EndObject();
  return out;
}

LeaseHolder MyLease(std::string_view purpose) {
  std::random_device rd;
  LeaseHolder me;
  me.token = Sha256Hex(fmt::format("{}-{}-{}", rd(), rd(), NowMicros())).substr(0, 32);
  me.expires_micros = NowMicros() + LakeLock::kLeaseMicros;
  me.pid = getpid();
  me.host = HostName();
  me.boot_id = BootId();
  me.start_time = StartTime(me.pid);
  me.purpose = std::string(purpose);
  me.since = FormatIso8601Millis(NowMicros());
  return me;
}

Status LeaseHeld(const io::FileSystem& fs, const LeaseHolder& holder) {
  const int64_t left = holder.expires_micros - NowMicros();
  return Status::Aborted(fmt::format(
      "lake {} is locked by {}; its lease expires at {} (in {} min): wait for it to finish, or "
      "stop it, then retry; if that process is gone (another machine, or killed), "
      "'saleslake unlock --lake {} --force' breaks the lock",
      fs.root_uri(), holder.Describe(), FormatIso8601Millis(holder.expires_micros),
      (left + 59'999'999) / 60'000'000, fs.root_uri()));
}

// The lease object for stores without a kernel lock (LeaseJson).
class LeaseLock final : public LakeLock {
 public:
  LeaseLock(std::shared_ptr<io::FileSystem> fs, std::string token, std::string took_over)
      : fs_(std::move(fs)), token_(std::move(token)) {
    took_over_from_ = std::move(took_over);
  }
  ~LeaseLock() override {
    auto text = fs_->ReadFile(LeasePath());
    if (text.ok() && ParseLease(*text).token == token_) fs_->Delete(LeasePath()).IgnoreError();
  }

 private:
  std::shared_ptr<io::FileSystem> fs_;
  std::string token_;
};

Result<std::unique_ptr<LakeLock>> AcquireLease(std::shared_ptr<io::FileSystem> fs,
                                               std::string_view purpose) {
  const std::string path = LeasePath();
  std::string took_over;
  auto existing = fs->ReadFile(path);
  if (existing.ok()) {
    LeaseHolder holder = ParseLease(*existing);
    if (holder.expires_micros > NowMicros()) {
      if (!HolderIsDeadHere(holder)) return LeaseHeld(*fs, holder);
      took_over = holder.Describe();
      log::Warn("lock.takeover", {{"lake", fs->root_uri()}, {"dead_holder", took_over}});
    }
  } else if (!existing.status().IsNotFound()) {
    return existing.status();
  }
  LeaseHolder me = MyLease(purpose);
  SL_RETURN_IF_ERROR(fs->WriteFile(path, LeaseJson(me)));
  SL_ASSIGN_OR_RETURN(std::string back, fs->ReadFile(path));
  LeaseHolder winner = ParseLease(back);
  if (winner.token != me.token) return LeaseHeld(*fs, winner);
  return std::unique_ptr<LakeLock>(
      new LeaseLock(std::move(fs), std::move(me.token), std::move(took_over)));
}

}  // namespace

std::string LeaseHolder::Describe() const {
  if (pid == 0) return purpose.empty() ? "another saleslake process" : purpose;
  return fmt::format("pid {} on {} ({}) since {}", pid, host, purpose, since);
}

std::string LeasePath() { return io::JoinPath(kLedgerDir, "_lock.json"); }

LeaseHolder ParseLease(std::string_view text) {
  LeaseHolder h;
  if (!text.empty() && text.front() == '{') {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(text.data(), text.size()).get(root)) return h;
    auto str = [&](const char* key, std::string* out) {
      std::string_view v;
      if (!root[key].get_string().get(v)) *out = std::string(v);
    };
    str("token", &h.token);
    str("host", &h.host);
    str("boot_id", &h.boot_id);
    str("start_time", &h.start_time);
    str("purpose", &h.purpose);
    str("since", &h.since);
    int64_t n = 0;
    if (!root["expires_micros"].get_int64().get(n)) h.expires_micros = n;
    if (!root["pid"].get_int64().get(n)) h.pid = n;
    return h;
  }
  // The older form: "<token> <expires> <holder...>" (no host facts: never provably dead).
  size_t a = text.find(' ');
  size_t b = a == std::string_view::npos ? a : text.find(' ', a + 1);
  h.token = std::string(text.substr(0, a));
  if (b != std::string_view::npos) {
    h.expires_micros =
        std::strtoll(std::string(text.substr(a + 1, b - a - 1)).c_str(), nullptr, 10);
    h.purpose = std::string(text.substr(b + 1));
  }
  return h;
}

bool HolderIsDeadHere(const LeaseHolder& h) {
  if (h.pid <= 0 || h.pid > INT32_MAX || h.host.empty() || h.boot_id.empty()) return false;
  if (h.host != HostName() || h.boot_id != BootId()) return false;
  if (::kill(static_cast<pid_t>(h.pid), 0) != 0) return errno == ESRCH;
  // Alive (or not ours to signal): dead only if that pid is now another process.
  const std::string now = StartTime(h.pid);
  return !h.start_time.empty() && !now.empty() && now != h.start_time;
}

Result<std::unique_ptr<LakeLock>> LakeLock::Acquire(std::shared_ptr<io::FileSystem> fs,
                                                    std::string_view purpose) {
  const std::string root = fs->root_uri();
  if (fs->scheme() == "file" && root.rfind("file://", 0) == 0) {
    return AcquireFlock(*fs, root.substr(7) + "/" + std::string(kLedgerDir), purpose);
  }
  if (fs->scheme() == "mem") {
    std::lock_guard<std::mutex> lock(g_mem_mu);
    if (!MemHeld().insert(root).second) return Locked(*fs, "");
    return std::unique_ptr<LakeLock>(new MemLock(root));
  }
  return AcquireLease(std::move(fs), purpose);
}

}  // namespace saleslake::lake

namespace saleslake::lake {

Result<std::string> UnlockLake(std::shared_ptr<io::FileSystem> fs, bool force) {
  const std::string root = fs->root_uri();
  if (fs->scheme() == "file" || fs->scheme() == "mem") {
    // A kernel lock (or a process's own table) is released when its holder exits: it is either
    // free, or held by a live process that must be stopped instead.
    auto probe = LakeLock::Acquire(fs, "saleslake unlock");
    if (!probe.ok()) {
      if (!probe.status().Is(StatusCode::kAborted)) return probe.status();
      return Status::Aborted(probe.status().message() +
                             " (a local lake's lock is released by the operating system when its "
                             "holder exits: there is nothing to break)");
    }
    return fmt::format("lake {} is not locked\n", root);
  }
  auto text = fs->ReadFile(LeasePath());
  if (!text.ok()) {
    if (text.status().IsNotFound()) return fmt::format("lake {} is not locked\n", root);
    return text.status();
  }
  const LeaseHolder holder = ParseLease(*text);
  const bool expired = holder.expires_micros <= NowMicros();
  if (!force && !expired && !HolderIsDeadHere(holder)) {
    return Status::Aborted(fmt::format(
        "lake {} is locked by {} until {}; if that process is gone, break the lock with "
        "'saleslake unlock --lake {} --force' (a running writer whose lock is broken may collide "
        "with the next one: stop it first)",
        root, holder.Describe(), FormatIso8601Millis(holder.expires_micros), root));
  }
  SL_RETURN_IF_ERROR(fs->Delete(LeasePath()));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<LakeLock> lock, LakeLock::Acquire(fs, "saleslake unlock"));
  // Under the lock: finish the broken holder's last commit if it was cut short, then say in the
  // ledger whose lock was broken, so the history explains a writer that lost its lease.
  SL_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(fs, /*recover=*/true));
  LedgerCommit commit;
  commit.kind = "unlock";
  commit.run_id = fmt::format("unlock-{}", NowMicros());
  std::string details;
  JsonWriter w(&details);
  w.BeginObject();
  w.Field("broken_lock", holder.Describe());
  w.Field("lease_expires_at", FormatIso8601Millis(holder.expires_micros));
  w.Field("lease_expired", expired);
  w.Field("by", fmt::format("pid {} on {}", getpid(), HostName()));
  w.EndObject();
  commit.details_json = details;
  SL_RETURN_IF_ERROR(ledger->Commit(&commit));
  return fmt::format("lake {}: broke the lock of {} (recorded in commit {})\n", root,
                     holder.Describe(), commit.seq);
}

}  // namespace saleslake::lake
