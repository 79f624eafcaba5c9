// A host emulation of the few CUDA device features the kernels in native/cuda/*.cuh use, so the kernel
// code itself can be run and checked against the CPU backend on a machine without a GPU
// (kernel_check.cpp, tests/raster/cuda-kernels-emulated.test.ts). Blocks run one after another; the
// threads of a block run as real std::threads (a block-wide std::barrier implements __syncthreads, the
// vote functions and the warp shuffles, which the kernels only call block-uniformly), so __shared__
// becomes a function-local static shared by those threads. What it cannot check: the CUDA runtime and
// CUB calls in cuda_backend.cu (kernel_check.cpp mirrors that orchestration with std:: algorithms), real
// warp scheduling, and device float maths (expf/logf here are glibc's, not CUDA's).
#pragma once
#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(x)
#define __shared__ static

using std::ceil;
using std::exp;
using std::floor;
using std::fmax;
using std::fmin;
using std::hypot;
using std::isfinite;
using std::sqrt;

struct EmuDim {
  unsigned x = 0, y = 0, z = 0;
};
inline thread_local EmuDim threadIdx, blockIdx, blockDim;

namespace emu {
inline std::barrier<>* blockBarrier = nullptr;
// Vote flags and shuffle lanes rotate through buffers so each vote or shuffle needs one barrier: a
// thread reaching call k+2 has passed call k+1's barrier, so every thread has finished reading call k's
// buffer (all calls are block-uniform, in the same order in every thread). Reset per block.
inline std::atomic<int> voteFlags[3];
inline std::vector<float> shuffleLanes[2];
inline thread_local unsigned voteCall = 0, shuffleCall = 0;
inline std::mutex atomicMutex;
inline void sync() {
  if (blockBarrier) blockBarrier->arrive_and_wait();
}
}  // namespace emu

inline void __syncthreads() { emu::sync(); }
inline int __syncthreads_or(int p) {
  const unsigned k = emu::voteCall++;
  if (p) emu::voteFlags[k % 3] = 1;
  emu::sync();
  const int r = emu::voteFlags[k % 3];
  if (threadIdx.x == 0) emu::voteFlags[(k + 2) % 3] = 0;  // the buffer of call k + 2 (= call k - 1's, read by now)
  return r;
}
inline int __syncthreads_and(int p) { return !__syncthreads_or(!p); }
inline float __shfl_xor_sync(unsigned, float v, int laneMask) {
  std::vector<float>& lanes = emu::shuffleLanes[emu::shuffleCall++ & 1u];
  lanes[threadIdx.x] = v;
  emu::sync();
  return lanes[threadIdx.x ^ unsigned(laneMask)];
}
inline unsigned long long atomicMax(unsigned long long* p, unsigned long long v) {
  std::lock_guard<std::mutex> lock(emu::atomicMutex);
  const unsigned long long old = *p;
  if (v > old) *p = v;
  return old;
}
inline float __int_as_float(int v) {
  float f;
  std::memcpy(&f, &v, sizeof f);
  return f;
}
inline unsigned __float_as_uint(float v) {
  unsigned u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

namespace emu {
// grid x block launch of a kernel that has no barriers: serial.
inline void launchSerial(int grid, int block, const std::function<void()>& body) {
  blockBarrier = nullptr;
  for (int b = 0; b < grid; b++)
    for (int t = 0; t < block; t++) {
      blockIdx.x = unsigned(b);
      threadIdx.x = unsigned(t);
      blockDim.x = unsigned(block);
      body();
    }
}
// grid x block launch of a kernel with barriers: each block's threads run concurrently.
inline void launchBlocks(int grid, int block, const std::function<void()>& body) {
  for (auto& lanes : shuffleLanes) lanes.assign(size_t(block), 0.f);
  for (int b = 0; b < grid; b++) {
    for (auto& f : voteFlags) f = 0;
    std::barrier<> bar(block);
    blockBarrier = &bar;
    std::vector<std::thread> threads;
    threads.reserve(size_t(block));
    for (int t = 0; t < block; t++)
      threads.emplace_back([&, b, t] {
        voteCall = shuffleCall = 0;
        blockIdx.x = unsigned(b);
        threadIdx.x = unsigned(t);
        blockDim.x = unsigned(block);
        body();
      });
    for (auto& th : threads) th.join();
    blockBarrier = nullptr;
  }
}
}  // namespace emu
