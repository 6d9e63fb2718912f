#include "io/fault_injecting_file_system.h"

#include <atomic>
#include <bit>
#include <mutex>
#include <set>

namespace saleslake::io {

namespace fault {

std::string_view OpName(Op op) {
  switch (op) {
    case kGetFileInfo:
      return "get_file_info";
    case kList:
      return "list";
    case kOpenForRead:
      return "open_for_read";
    case kRead:
      return "read";
    case kOpenForWrite:
      return "open_for_write";
    case kAppend:
      return "append";
    case kPublish:
      return "publish";
    case kDelete:
      return "delete";
    case kMove:
      return "move";
    case kCreateDir:
      return "create_dir";
  }
  return "unknown";
}

}  // namespace fault

namespace {

enum class Verdict { kProceed, kFail, kFailAfter, kCrashed };

// One open WritableFile of the wrapper. A crash aborts `inner` from whichever thread crashes, so
// every use of `inner` holds `mu`.
struct WriterSlot {
  std::mutex mu;
  std::unique_ptr<WritableFile> inner;
  bool finished = false;  // closed, aborted, failed or discarded by a crash
};

Status CrashedError(fault::Op op, std::string_view path) {
  return Status::IOError("simulated crash: " + std::string(fault::OpName(op)) + " '" +
                         std::string(path) + "' after the file system crashed");
}

}  // namespace

struct FaultState {
  mutable std::mutex mu;
  std::atomic<bool> crashed{false};
  uint64_t counts[fault::kOpKinds] = {};
  std::vector<std::string> history;
  uint32_t fail_ops = 0;
  uint64_t fail_countdown = 0;
  fault::FailMode fail_mode = fault::FailMode::kOnce;
  bool failing_from_now_on = false;  // a kSticky failure fired
  uint32_t crash_ops = 0;
  uint64_t crash_countdown = 0;
  std::set<std::shared_ptr<WriterSlot>> writers;

  // Counts the operation and decides its fate. `self` is the calling writer's slot, whose mutex
  // the caller holds (nullptr for file system calls).
  Verdict Begin(fault::Op op, std::string_view path, WriterSlot* self) {
    std::vector<std::shared_ptr<WriterSlot>> to_abort;
    {
      std::lock_guard lock(mu);
      ++counts[std::countr_zero(static_cast<uint32_t>(op))];
      history.push_back(std::string(fault::OpName(op)) + " " + std::string(path));
      if (crashed) return Verdict::kCrashed;
      if ((crash_ops & op) && --crash_countdown == 0) {
        crash_ops = 0;
        to_abort = TakeWritersLocked();
      } else if (fail_ops & op) {
        if (failing_from_now_on) return Verdict::kFail;
        if (--fail_countdown == 0) {
          fault::FailMode mode = fail_mode;
          if (mode == fault::FailMode::kSticky || mode == fault::FailMode::kDiskFull) {
            failing_from_now_on = true;
          } else {
            fail_ops = 0;
          }
          return mode == fault::FailMode::kAfterEffect ? Verdict::kFailAfter : Verdict::kFail;
        }
        return Verdict::kProceed;
      } else {
        return Verdict::kProceed;
      }
    }
    AbortWriters(to_abort, self);
    return Verdict::kCrashed;
  }

  // REQUIRES: mu held. Marks the crash and hands over every open writer for discarding.
  std::vector<std::shared_ptr<WriterSlot>> TakeWritersLocked() {
    crashed = true;
    std::vector<std::shared_ptr<WriterSlot>> out(writers.begin(), writers.end());
    writers.clear();
    return out;
  }

  // Discards unpublished writes. Called without `mu` so that writers waiting in Begin can finish.
  static void AbortWriters(const std::vector<std::shared_ptr<WriterSlot>>& slots,
                           WriterSlot* self) {
    for (const auto& slot : slots) {
      std::unique_lock<std::mutex> lock;
      if (slot.get() != self) lock = std::unique_lock(slot->mu);
      if (slot->inner != nullptr && !slot->finished) slot->inner->Abort().IgnoreError();
      slot->finished = true;
    }
  }
};

namespace {

Status InjectedError(const FaultState& state, fault::Op op, std::string_view path) {
  if (state.fail_mode == fault::FailMode::kDiskFull) {
    return Status::ResourceExhausted("cannot " + std::string(fault::OpName(op)) + " '" +
                                     std::string(path) + "': No space left on device (injected)");
  }
  return Status::IOError("injected fault: " + std::string(fault::OpName(op)) + " '" +
                         std::string(path) + "' failed");
}

class FaultRandomAccessFile final : public RandomAccessFile {
 public:
  FaultRandomAccessFile(std::shared_ptr<FaultState> state, std::unique_ptr<RandomAccessFile> inner)
      : state_(std::move(state)), inner_(std::move(inner)) {}
  uint64_t Size() const override { return inner_->Size(); }
  const std::string& path() const override { return inner_->path(); }
  Status ReadAt(uint64_t offset, uint64_t length, std::string* out) override {
    switch (state_->Begin(fault::kRead, inner_->path(), nullptr)) {
      case Verdict::kProceed:
        return inner_->ReadAt(offset, length, out);
      case Verdict::kFail:
        return InjectedError(*state_, fault::kRead, inner_->path());
      case Verdict::kCrashed:
        return CrashedError(fault::kRead, inner_->path());
      case Verdict::kFailAfter:
        inner_->ReadAt(offset, length, out).IgnoreError();
        return InjectedError(*state_, fault::kRead, inner_->path());
    }
    return Status::Internal("unreachable");
  }

 private:
  std::shared_ptr<FaultState> state_;
  std::unique_ptr<RandomAccessFile> inner_;
};

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(std::shared_ptr<FaultState> state, std::shared_ptr<WriterSlot> slot,
                    std::string path)
      : state_(std::move(state)), slot_(std::move(slot)), path_(std::move(path)) {}

  ~FaultWritableFile() override {
    {
      std::lock_guard lock(slot_->mu);
      slot_->finished = true;
      slot_->inner.reset();  // aborts an unfinished write
    }
    std::lock_guard lock(state_->mu);
    state_->writers.erase(slot_);
  }

  const std::string& path() const override { return path_; }
  uint64_t BytesWritten() const override {
    std::lock_guard lock(slot_->mu);
    return slot_->inner->BytesWritten();
  }

  Status Append(std::string_view data) override {
    std::lock_guard lock(slot_->mu);
    if (slot_->finished) return Finished();
    switch (state_->Begin(fault::kAppend, path_, slot_.get())) {
      case Verdict::kProceed:
        return slot_->inner->Append(data);
      case Verdict::kCrashed:
        return CrashedError(fault::kAppend, path_);
      case Verdict::kFail:
        // A failed write leaves the file unusable, as on a real disk.
        slot_->inner->Abort().IgnoreError();
        slot_->finished = true;
        return InjectedError(*state_, fault::kAppend, path_);
      case Verdict::kFailAfter:
        slot_->inner->Append(data).IgnoreError();
        return InjectedError(*state_, fault::kAppend, path_);
    }
    return Status::Internal("unreachable");
  }

  Status Close() override {
    std::lock_guard lock(slot_->mu);
    if (slot_->finished) return Finished();
    Verdict verdict = state_->Begin(fault::kPublish, path_, slot_.get());
    if (verdict == Verdict::kCrashed) return CrashedError(fault::kPublish, path_);
    slot_->finished = true;
    switch (verdict) {
      case Verdict::kProceed:
        return slot_->inner->Close();
      case Verdict::kFail:
        slot_->inner->Abort().IgnoreError();
        return InjectedError(*state_, fault::kPublish, path_);
      case Verdict::kFailAfter:
        slot_->inner->Close().IgnoreError();
        return InjectedError(*state_, fault::kPublish, path_);
      case Verdict::kCrashed:
        break;
    }
    return Status::Internal("unreachable");
  }

  Status Abort() override {
    std::lock_guard lock(slot_->mu);
    if (slot_->finished) return Status::OK();
    slot_->finished = true;
    return slot_->inner->Abort();
  }

 private:
  Status Finished() const {
    if (state_->crashed) {
      return Status::IOError("simulated crash: '" + path_ + "' was discarded by the crash");
    }
    return Status::InvalidArgument("'" + path_ + "' was already closed, aborted or failed");
  }

  std::shared_ptr<FaultState> state_;
  std::shared_ptr<WriterSlot> slot_;
  std::string path_;
};

}  // namespace

FaultInjectingFileSystem::FaultInjectingFileSystem(std::shared_ptr<FileSystem> base)
    : base_(std::move(base)), state_(std::make_shared<FaultState>()) {}

FaultInjectingFileSystem::~FaultInjectingFileSystem() = default;

void FaultInjectingFileSystem::FailOperation(uint64_t n, uint32_t ops, fault::FailMode mode) {
  std::lock_guard lock(state_->mu);
  state_->fail_ops = n == 0 ? 0 : ops;
  state_->fail_countdown = n;
  state_->fail_mode = mode;
  state_->failing_from_now_on = false;
}

void FaultInjectingFileSystem::CrashAtOperation(uint64_t n, uint32_t ops) {
  std::lock_guard lock(state_->mu);
  state_->crash_ops = n == 0 ? 0 : ops;
  state_->crash_countdown = n;
}

void FaultInjectingFileSystem::Crash() {
  std::vector<std::shared_ptr<WriterSlot>> slots;
  {
    std::lock_guard lock(state_->mu);
    slots = state_->TakeWritersLocked();
  }
  FaultState::AbortWriters(slots, nullptr);
}

bool FaultInjectingFileSystem::crashed() const { return state_->crashed; }

void FaultInjectingFileSystem::ClearFaults() {
  std::lock_guard lock(state_->mu);
  state_->fail_ops = 0;
  state_->failing_from_now_on = false;
  state_->crash_ops = 0;
}

uint64_t FaultInjectingFileSystem::OperationCount(uint32_t ops) const {
  std::lock_guard lock(state_->mu);
  uint64_t total = 0;
  for (int i = 0; i < fault::kOpKinds; ++i) {
    if (ops & (1u << i)) total += state_->counts[i];
  }
  return total;
}

void FaultInjectingFileSystem::ResetCounters() {
  std::lock_guard lock(state_->mu);
  for (uint64_t& c : state_->counts) c = 0;
  state_->history.clear();
}

std::vector<std::string> FaultInjectingFileSystem::History() const {
  std::lock_guard lock(state_->mu);
  return state_->history;
}

// Runs `op` on the wrapped file system unless a fault says otherwise.
#define SL_FAULT_GUARDED(kind, path, call)       \
  switch (state_->Begin(kind, path, nullptr)) {  \
    case Verdict::kProceed:                      \
      return call;                               \
    case Verdict::kFail:                         \
      return InjectedError(*state_, kind, path); \
    case Verdict::kCrashed:                      \
      return CrashedError(kind, path);           \
    case Verdict::kFailAfter: {                  \
      auto ignored = call;                       \
      (void)ignored;                             \
      return InjectedError(*state_, kind, path); \
    }                                            \
  }                                              \
  return Status::Internal("unreachable")

Result<FileInfo> FaultInjectingFileSystem::GetFileInfo(std::string_view path) {
  SL_FAULT_GUARDED(fault::kGetFileInfo, path, base_->GetFileInfo(path));
}

Result<std::vector<FileInfo>> FaultInjectingFileSystem::List(std::string_view prefix,
                                                             const ListOptions& options) {
  SL_FAULT_GUARDED(fault::kList, prefix, base_->List(prefix, options));
}

Result<std::unique_ptr<RandomAccessFile>> FaultInjectingFileSystem::OpenForRead(
    std::string_view path) {
  auto open = [&]() -> Result<std::unique_ptr<RandomAccessFile>> {
    SL_ASSIGN_OR_RETURN(auto inner, base_->OpenForRead(path));
    return std::unique_ptr<RandomAccessFile>(
        std::make_unique<FaultRandomAccessFile>(state_, std::move(inner)));
  };
  SL_FAULT_GUARDED(fault::kOpenForRead, path, open());
}

Result<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::OpenForWrite(
    std::string_view path) {
  auto open = [&]() -> Result<std::unique_ptr<WritableFile>> {
    SL_ASSIGN_OR_RETURN(auto inner, base_->OpenForWrite(path));
    auto slot = std::make_shared<WriterSlot>();
    slot->inner = std::move(inner);
    std::string key = slot->inner->path();
    {
      std::lock_guard lock(state_->mu);
      // A crash that raced with this open discards the new write at once.
      if (state_->crashed) return CrashedError(fault::kOpenForWrite, path);
      state_->writers.insert(slot);
    }
    return std::unique_ptr<WritableFile>(
        std::make_unique<FaultWritableFile>(state_, std::move(slot), std::move(key)));
  };
  SL_FAULT_GUARDED(fault::kOpenForWrite, path, open());
}

Status FaultInjectingFileSystem::Delete(std::string_view path) {
  SL_FAULT_GUARDED(fault::kDelete, path, base_->Delete(path));
}

Status FaultInjectingFileSystem::DeleteMany(const std::vector<std::string>& paths) {
  std::string what = paths.empty() ? std::string() : paths.front();
  if (paths.size() > 1) what += " (+" + std::to_string(paths.size() - 1) + " more)";
  SL_FAULT_GUARDED(fault::kDelete, what, base_->DeleteMany(paths));
}

Status FaultInjectingFileSystem::Move(std::string_view from, std::string_view to) {
  std::string what = std::string(from) + " -> " + std::string(to);
  SL_FAULT_GUARDED(fault::kMove, what, base_->Move(from, to));
}

Status FaultInjectingFileSystem::CreateDir(std::string_view path) {
  SL_FAULT_GUARDED(fault::kCreateDir, path, base_->CreateDir(path));
}

#undef SL_FAULT_GUARDED

}  // namespace saleslake::io
