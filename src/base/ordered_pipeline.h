// OrderedPipeline: items go through a parallel stage, then a serial stage that takes them in the
// order they were submitted, on `threads` threads with at most `slots` items in flight.
//
// The caller owns the items (an array of `slots`, indexed by slot); the pipeline only says which
// slot is in which stage. The submitting thread is worker 0 and works too: when no slot is free
// it transforms or consumes items instead of waiting, so threads = 1 runs everything on the
// calling thread with no helper at all. Whatever the number of threads, consume sees items in
// submission order, so output written there is the same for any thread count.
//
//   OrderedPipeline p(threads, 2 * threads, parse, write);  // parse(slot, worker), write(slot)
//   while (more) {
//     SL_ASSIGN_OR_RETURN(size_t slot, p.Acquire());
//     Fill(&items[slot]);
//     p.Submit(slot);
//   }
//   SL_RETURN_IF_ERROR(p.Finish());
//
// The first error of any stage stops the pipeline: Acquire and Finish return it, and no item
// after it is consumed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "base/status.h"

namespace saleslake {

class OrderedPipeline {
 public:
  using Transform = std::function<Status(size_t slot, int worker)>;
  using Consume = std::function<Status(size_t slot)>;

  // REQUIRES: threads >= 1, slots >= 1.
  OrderedPipeline(int threads, size_t slots, Transform transform, Consume consume);
  // Stops the helpers; items not yet consumed are dropped.
  ~OrderedPipeline();
  OrderedPipeline(const OrderedPipeline&) = delete;
  OrderedPipeline& operator=(const OrderedPipeline&) = delete;

  // A free slot to fill with the next item (works while none is free).
  Result<size_t> Acquire();
  // The slot Acquire returned now holds an item.
  void Submit(size_t slot);
  // Waits until every submitted item is consumed, stops the helpers, returns the first error.
  Status Finish();

 private:
  enum class State : uint8_t { kFree, kFilling, kReady, kTransforming, kTransformed };

  void HelperLoop(int worker);
  // Runs one piece of work if there is any (consume first, then the oldest ready item), with
  // `lock` released while it runs. Returns false when there was nothing to do.
  bool TryWork(std::unique_lock<std::mutex>& lock, int worker);
  void Stop();

  const size_t slots_;
  Transform transform_;
  Consume consume_;
  std::vector<State> state_;
  uint64_t submitted_ = 0;  // items submitted; item k lives in slot k % slots_
  uint64_t consumed_ = 0;   // items consumed
  bool consuming_ = false;
  bool stop_ = false;
  Status error_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::thread> helpers_;
};

// The machine's cores (at least 1): the default of --threads.
int HardwareThreads();

}  // namespace saleslake
