// FaultInjectingFileSystem: wraps any FileSystem and fails on cue, so that tests can prove what
// survives an I/O error or a crash at every step (the idea of leveldb's fault-injection Env).
//
// Every call is one operation of a kind (fault::Op); the wrapper counts them. Two kinds of fault:
//   - FailOperation(n, ops): the nth operation (counted from now) whose kind is in `ops` returns
//     IOError without reaching the wrapped file system; kSticky keeps failing from then on (a
//     full disk), kAfterEffect lets it take effect and then reports IOError (a lost
//     acknowledgement, as when a network times out after the server acted).
//   - CrashAtOperation(n, ops) / Crash(): simulates kill -9 just before that operation. Every
//     write not yet published is discarded (open WritableFiles are aborted) and every later call
//     on the file system or on a file opened from it fails. What was published stays in the
//     wrapped file system: "restart" by using it directly or wrapping it again.
//
// Enumerating "crash before every step" of a scenario:
//
//   auto counting = std::make_shared<FaultInjectingFileSystem>(MemFileSystem::Make());
//   ASSERT_TRUE(RunScenario(*counting).ok());
//   const uint64_t steps = counting->OperationCount(fault::kMutatingOps);
//   for (uint64_t n = 1; n <= steps + 1; ++n) {        // n == steps + 1: no crash at all
//     std::shared_ptr<FileSystem> disk = MemFileSystem::Make();
//     auto faulty = std::make_shared<FaultInjectingFileSystem>(disk);
//     faulty->CrashAtOperation(n, fault::kMutatingOps);
//     RunScenario(*faulty).IgnoreError();              // dies at step n
//     ASSERT_TRUE(RunScenario(*disk).ok());            // the restarted run recovers
//     CheckNoDuplicatesNoLoss(*disk);
//   }
//
// History() lists the operations seen ("publish raw/a.parquet"), handy in a failing test's message.
// Thread-safe like the file system it wraps.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"

namespace saleslake::io {

namespace fault {

// Operation kinds; combine them with '|' into a set (uint32_t).
enum Op : uint32_t {
  kGetFileInfo = 1u << 0,
  kList = 1u << 1,
  kOpenForRead = 1u << 2,
  kRead = 1u << 3,  // RandomAccessFile::ReadAt
  kOpenForWrite = 1u << 4,
  kAppend = 1u << 5,   // WritableFile::Append
  kPublish = 1u << 6,  // WritableFile::Close
  kDelete = 1u << 7,   // Delete, and each DeleteMany call
  kMove = 1u << 8,
  kCreateDir = 1u << 9,
};
inline constexpr int kOpKinds = 10;

inline constexpr uint32_t kReadOps = kGetFileInfo | kList | kOpenForRead | kRead;
inline constexpr uint32_t kWriteOps = kOpenForWrite | kAppend;
inline constexpr uint32_t kMutatingOps =
    kOpenForWrite | kAppend | kPublish | kDelete | kMove | kCreateDir;
inline constexpr uint32_t kAllOps = (1u << kOpKinds) - 1;

// "get_file_info", "list", "open_for_read", "read", "open_for_write", "append", "publish",
// "delete", "move", "create_dir".
std::string_view OpName(Op op);

enum class FailMode {
  kOnce,         // the nth operation fails, later ones succeed
  kSticky,       // the nth and every later operation in the set fail
  kAfterEffect,  // the nth operation takes effect, then reports IOError
  kDiskFull      // like kSticky, failing with ResourceExhausted "No space left on device" (ENOSPC)
};

}  // namespace fault

struct FaultState;

class FaultInjectingFileSystem final : public FileSystem {
 public:
  explicit FaultInjectingFileSystem(std::shared_ptr<FileSystem> base);
  ~FaultInjectingFileSystem() override;

  // Arms a failure of the nth (1-based, counted from this call) operation whose kind is in
  // `ops`. Replaces any failure armed before.
  void FailOperation(uint64_t n, uint32_t ops, fault::FailMode mode = fault::FailMode::kOnce);
  // Arms a crash just before the nth (1-based, counted from this call) operation in `ops`.
  void CrashAtOperation(uint64_t n, uint32_t ops);
  // Crashes now.
  void Crash();
  bool crashed() const;
  // Disarms failures and crashes not yet fired (a crash that happened stays).
  void ClearFaults();

  // Operations of the kinds in `ops` since construction or ResetCounters (failed ones included).
  uint64_t OperationCount(uint32_t ops = fault::kAllOps) const;
  void ResetCounters();
  // One line per operation since construction or ResetCounters: "<op> <path>".
  std::vector<std::string> History() const;

  const std::shared_ptr<FileSystem>& base() const { return base_; }

  std::string_view scheme() const override { return base_->scheme(); }
  std::string root_uri() const override { return base_->root_uri(); }
  Result<FileInfo> GetFileInfo(std::string_view path) override;
  Result<std::vector<FileInfo>> List(std::string_view prefix,
                                     const ListOptions& options = {}) override;
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(std::string_view path) override;
  Result<std::unique_ptr<WritableFile>> OpenForWrite(std::string_view path) override;
  Status Delete(std::string_view path) override;
  Status DeleteMany(const std::vector<std::string>& paths) override;
  Status Move(std::string_view from, std::string_view to) override;
  Status CreateDir(std::string_view path) override;

 private:
  std::shared_ptr<FileSystem> base_;
  std::shared_ptr<FaultState> state_;  // shared with the files opened through this wrapper
};

}  // namespace saleslake::io
