// Grow-only device allocations kept by the backend between calls (a trainer renders every step), and the
// error check that turns every CUDA failure into a std::runtime_error a user can read.
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace hfcuda {

inline void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess)
    throw std::runtime_error(std::string("CUDA rasterizer: ") + what + " failed: " + cudaGetErrorString(err) +
                             (err == cudaErrorMemoryAllocation ? " (scene too large for this GPU's memory)" : ""));
}

template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() {
    if (ptr_) cudaFree(ptr_);
  }
  // Room for n elements (contents are not kept when it grows). Returns the pointer.
  T* ensure(size_t n, const char* what) {
    if (n > cap_) {
      if (ptr_) cudaFree(ptr_);
      ptr_ = nullptr;
      cap_ = 0;
      const size_t want = n + n / 4;  // headroom: densification grows the cloud a little every few steps
      check(cudaMalloc(&ptr_, want * sizeof(T)), what);
      cap_ = want;
    }
    return ptr_;
  }
  T* get() const { return ptr_; }

 private:
  T* ptr_ = nullptr;
  size_t cap_ = 0;
};

}  // namespace hfcuda
