#include "base/ordered_pipeline.h"

namespace saleslake {

OrderedPipeline::OrderedPipeline(int threads, size_t slots, Transform transform, Consume consume)
    : slots_(slots < 1 ? 1 : slots),
      transform_(std::move(transform)),
      consume_(std::move(consume)),
      state_(slots_, State::kFree) {
  for (int worker = 1; worker < threads; ++worker) {
    helpers_.emplace_back([this, worker] { HelperLoop(worker); });
  }
}

OrderedPipeline::~OrderedPipeline() { Stop(); }

void OrderedPipeline::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  for (std::thread& t : helpers_) t.join();
  helpers_.clear();
}

bool OrderedPipeline::TryWork(std::unique_lock<std::mutex>& lock, int worker) {
  if (!error_.ok()) return false;
  const size_t next = static_cast<size_t>(consumed_ % slots_);
  if (!consuming_ && consumed_ < submitted_ && state_[next] == State::kTransformed) {
    consuming_ = true;
    lock.unlock();
    Status st = consume_(next);
    lock.lock();
    consuming_ = false;
    if (!st.ok() && error_.ok()) error_ = st;
    state_[next] = State::kFree;
    ++consumed_;
    changed_.notify_all();
    return true;
  }
  for (uint64_t item = consumed_; item < submitted_; ++item) {
    const size_t slot = static_cast<size_t>(item % slots_);
    if (state_[slot] != State::kReady) continue;
    state_[slot] = State::kTransforming;
    lock.unlock();
    Status st = transform_(slot, worker);
    lock.lock();
    if (!st.ok() && error_.ok()) error_ = st;
    state_[slot] = State::kTransformed;
    changed_.notify_all();
    return true;
  }
  return false;
}

void OrderedPipeline::HelperLoop(int worker) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_ && error_.ok()) {
    if (!TryWork(lock, worker)) changed_.wait(lock);
  }
}

Result<size_t> OrderedPipeline::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!error_.ok()) return error_;
    const size_t slot = static_cast<size_t>(submitted_ % slots_);
    if (state_[slot] == State::kFree) {
      state_[slot] = State::kFilling;
      return slot;
    }
    if (!TryWork(lock, 0)) changed_.wait(lock);
  }
}

void OrderedPipeline::Submit(size_t slot) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_[slot] = State::kReady;
    ++submitted_;
  }
  changed_.notify_all();
}

Status OrderedPipeline::Finish() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    while (error_.ok() && consumed_ < submitted_) {
      if (!TryWork(lock, 0)) changed_.wait(lock);
    }
  }
  Stop();
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

int HardwareThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace saleslake
