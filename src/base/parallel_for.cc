#include "base/parallel_for.h"

namespace saleslake {

ParallelFor::ParallelFor(int threads) {
  for (int i = 1; i < threads; ++i) helpers_.emplace_back([this] { HelperLoop(); });
}

ParallelFor::~ParallelFor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_.notify_all();
  for (std::thread& t : helpers_) t.join();
}

void ParallelFor::Run(size_t n, const Task& task) {
  if (n == 0) return;
  if (helpers_.empty() || n == 1) {
    for (size_t i = 0; i < n; ++i) task(i);
    return;
  }
  std::unique_lock<std::mutex> lock(mu_);
  task_ = &task;
  n_ = n;
  next_ = 0;
  finished_ = 0;
  work_.notify_all();
  while (next_ < n_) {
    const size_t i = next_++;
    lock.unlock();
    task(i);
    lock.lock();
    ++finished_;
  }
  done_.wait(lock, [this] { return finished_ == n_; });
  task_ = nullptr;
  n_ = next_ = finished_ = 0;
}

void ParallelFor::HelperLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return stop_ || next_ < n_; });
    if (stop_) return;
    const size_t i = next_++;
    const Task* task = task_;
    lock.unlock();
    (*task)(i);
    lock.lock();
    if (++finished_ == n_) done_.notify_all();
  }
}

}  // namespace saleslake
