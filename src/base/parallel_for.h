// ParallelFor: runs task(0) ... task(n - 1) on the calling thread and `threads - 1` helper threads
// that live as long as the object, and returns when every task has finished.
//
// Made for many small rounds (the columns of every batch a Parquet writer takes): the helpers wait
// between rounds instead of being started each time, and tasks are handed out one at a time, so
// a slow task on one thread does not hold the others back. The caller works too, so a round
// finishes even while every helper is busy elsewhere (threads = 1: no helper at all).
//
//   ParallelFor pool(2);
//   pool.Run(columns.size(), [&](size_t i) { Encode(columns[i]); });
//
// REQUIRES: one Run at a time (callers on different threads must be ordered by other means).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace saleslake {

class ParallelFor {
 public:
  using Task = std::function<void(size_t)>;

  // REQUIRES: threads >= 1.
  explicit ParallelFor(int threads);
  ~ParallelFor();
  ParallelFor(const ParallelFor&) = delete;
  ParallelFor& operator=(const ParallelFor&) = delete;

  void Run(size_t n, const Task& task);

 private:
  void HelperLoop();

  std::mutex mu_;
  std::condition_variable work_;  // a round has tasks left, or stop
  std::condition_variable done_;  // the round's last task finished
  const Task* task_ = nullptr;
  size_t n_ = 0;         // tasks in the round
  size_t next_ = 0;      // the next task to hand out
  size_t finished_ = 0;  // tasks of the round finished
  bool stop_ = false;
  std::vector<std::thread> helpers_;
};

}  // namespace saleslake
