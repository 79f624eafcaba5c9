// Minimal fork-join parallelism on std::thread. Work items are claimed dynamically (atomic counter) for
// load balance; callers must make results independent of which thread ran an item (write per item, not
// per thread) so that output is bit-identical for every thread count.
#pragma once
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace hf {

inline int resolveThreads(int requested) {
  if (requested > 0) return std::min(requested, 256);
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

// Calls fn(begin, end) on chunks of [0, count) of size `grain` from `threads` threads.
template <class Fn>
void parallelFor(int threads, int64_t count, int64_t grain, Fn&& fn) {
  if (count <= 0) return;
  grain = std::max<int64_t>(1, grain);
  const int64_t chunks = (count + grain - 1) / grain;
  const int workers = static_cast<int>(std::min<int64_t>(std::max(1, threads), chunks));
  if (workers <= 1) {
    fn(int64_t(0), count);
    return;
  }
  std::atomic<int64_t> next{0};
  std::exception_ptr error;
  std::mutex errorMutex;
  auto body = [&]() {
    try {
      for (;;) {
        const int64_t c = next.fetch_add(1);
        if (c >= chunks) break;
        const int64_t b = c * grain;
        fn(b, std::min(count, b + grain));
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(errorMutex);
      if (!error) error = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (int w = 1; w < workers; w++) pool.emplace_back(body);
  body();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace hf
