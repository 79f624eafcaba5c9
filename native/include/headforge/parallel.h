// Minimal fork-join parallelism on std::thread. Work items are claimed dynamically (atomic counter) for
// load balance; callers must make results independent of which thread ran an item (write per item, not
// per thread) so that output is bit-identical for every thread count.
#pragma once
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hf {

inline int resolveThreads(int requested) {
  if (requested > 0) return std::min(requested, 256);
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

// Persistent worker threads (a trainer step makes ~15 parallel calls; spawning threads for each costs
// tens of microseconds per call, which shows at 256x256). One job at a time: a caller that finds the
// pool busy (another render or trainer on another thread) gets false and spawns its own threads.
// The pool is never destroyed (workers are detached and idle at process exit).
class ThreadPool {
 public:
  static ThreadPool& instance() {
    static ThreadPool* pool = new ThreadPool();  // leaked on purpose: no join at static destruction
    return *pool;
  }
  // Runs body() on `helpers` pool threads while the caller runs it too; returns when all have finished.
  // body must not throw (parallelFor's body catches and forwards exceptions).
  bool tryRun(int helpers, const std::function<void()>& body) {
    bool idle = false;  // an atomic flag, not a mutex: a nested call on a worker must not self-deadlock
    if (!busy_.compare_exchange_strong(idle, true)) return false;
    {
      std::lock_guard<std::mutex> lock(m_);
      while (int(workers_) < helpers) {
        std::thread(&ThreadPool::workerLoop, this, int(workers_)).detach();
        workers_++;
      }
      job_ = &body;
      active_ = helpers;
      pending_ = helpers;
      generation_++;
    }
    wake_.notify_all();
    body();
    std::unique_lock<std::mutex> lock(m_);
    done_.wait(lock, [&] { return pending_ == 0; });
    job_ = nullptr;
    busy_.store(false);
    return true;
  }

 private:
  void workerLoop(int index) {
    uint64_t seen = 0;
    for (;;) {
      const std::function<void()>* job;
      {
        std::unique_lock<std::mutex> lock(m_);
        wake_.wait(lock, [&] { return generation_ != seen && index < active_; });
        seen = generation_;
        job = job_;
      }
      (*job)();
      std::lock_guard<std::mutex> lock(m_);
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::atomic<bool> busy_{false};
  std::mutex m_;
  std::condition_variable wake_, done_;
  const std::function<void()>* job_ = nullptr;
  uint64_t generation_ = 0;
  int workers_ = 0, active_ = 0, pending_ = 0;
};

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
  const std::function<void()> job(body);
  if (!ThreadPool::instance().tryRun(workers - 1, job)) {
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    for (int w = 1; w < workers; w++) pool.emplace_back(body);
    body();
    for (auto& th : pool) th.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace hf
