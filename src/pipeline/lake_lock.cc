#include "pipeline/lake_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>

#include "base/clock.h"
#include "base/hash.h"
#include "io/path.h"
#include "pipeline/ledger.h"

namespace saleslake::pipeline {
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

// The lease object for stores without a kernel lock: "<token> <expires_micros> <holder>".
class LeaseLock final : public LakeLock {
 public:
  LeaseLock(std::shared_ptr<io::FileSystem> fs, std::string token)
      : fs_(std::move(fs)), token_(std::move(token)) {}
  ~LeaseLock() override {
    auto text = fs_->ReadFile(Path());
    if (text.ok() && text->rfind(token_, 0) == 0) fs_->Delete(Path()).IgnoreError();
  }
  static std::string Path() { return io::JoinPath(kLedgerDir, "_lock.json"); }

 private:
  std::shared_ptr<io::FileSystem> fs_;
  std::string token_;
};

Result<std::unique_ptr<LakeLock>> AcquireLease(std::shared_ptr<io::FileSystem> fs,
                                               std::string_view purpose) {
  const std::string path = LeaseLock::Path();
  auto existing = fs->ReadFile(path);
  if (existing.ok()) {
    // "<token> <expires> <holder...>"
    std::string_view text = *existing;
    size_t a = text.find(' ');
    size_t b = a == std::string_view::npos ? a : text.find(' ', a + 1);
    int64_t expires = 0;
    if (b != std::string_view::npos) {
      expires = std::strtoll(std::string(text.substr(a + 1, b - a - 1)).c_str(), nullptr, 10);
    }
    if (expires > NowMicros()) {
      return Locked(*fs, b == std::string_view::npos ? "" : text.substr(b + 1));
    }
  } else if (!existing.status().IsNotFound()) {
    return existing.status();
  }
  std::random_device rd;
  std::string token = Sha256Hex(fmt::format("{}-{}-{}", rd(), rd(), NowMicros())).substr(0, 32);
  std::string lease =
      fmt::format("{} {} {}", token, NowMicros() + LakeLock::kLeaseMicros, Describe(purpose));
  SL_RETURN_IF_ERROR(fs->WriteFile(path, lease));
  SL_ASSIGN_OR_RETURN(std::string back, fs->ReadFile(path));
  if (back.rfind(token, 0) != 0) {
    size_t a = back.find(' ');
    size_t b = a == std::string::npos ? a : back.find(' ', a + 1);
    return Locked(*fs, b == std::string::npos ? "" : std::string_view(back).substr(b + 1));
  }
  return std::unique_ptr<LakeLock>(new LeaseLock(std::move(fs), std::move(token)));
}

}  // namespace

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

}  // namespace saleslake::pipeline
