#include "web/shutdown_signals.h"

#include <pthread.h>
#include <unistd.h>

#include <ctime>

#include "base/logging.h"

namespace saleslake::web {

ShutdownSignals::ShutdownSignals(std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_mask_);
  watcher_ = std::thread([this] { Watch(); });
}

ShutdownSignals::~ShutdownSignals() {
  stop_.store(true);
  watcher_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void ShutdownSignals::Watch() {
  int received = 0;
  // A short timeout lets the destructor end the watcher without sending it a signal.
  const timespec tick = {0, 100'000'000};
  while (!stop_.load()) {
    int sig = sigtimedwait(&signals_, nullptr, &tick);
    if (sig <= 0) continue;
    if (++received == 1) {
      log::Info("shutdown.signal", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
      on_signal_(sig);
    } else {
      log::Warn("shutdown.forced", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
      _exit(130);
    }
  }
}

}  // namespace saleslake::web
