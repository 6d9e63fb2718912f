// SIGINT / SIGTERM as a graceful stop: the first signal calls `on_signal` (which starts a drain),
// a second one ends the process at once with status 130, for a person who does not want to wait.
//
// Signals are blocked in the constructing thread and taken by a watcher thread with sigwait-style
// calls, so `on_signal` runs as ordinary code, not in a signal handler. Construct it before any
// other thread starts: threads inherit the blocked mask.
#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace saleslake::web {

class ShutdownSignals {
 public:
  explicit ShutdownSignals(std::function<void(int signal)> on_signal);
  // Stops watching and restores the previous signal mask.
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

 private:
  void Watch();

  std::function<void(int)> on_signal_;
  sigset_t signals_;
  sigset_t previous_mask_;
  std::atomic<bool> stop_{false};
  std::thread watcher_;
};

}  // namespace saleslake::web
