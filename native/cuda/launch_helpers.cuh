// Host-side helpers of cuda_backend.cu: launch sizes, radix-sort key widths, two small kernels, and
// the camera as the kernels read it.
#pragma once
#include <cstdint>

#include "headforge/types.h"
#include "preprocess.cuh"

namespace hfcuda {
namespace {

constexpr int kThreads = 256;
// CUB scratch is requested as bytes + 1: a null scratch pointer would turn the call into a size query.
int blocksFor(int64_t n) { return int((n + kThreads - 1) / kThreads); }

int bitsFor(uint64_t maxValue) {
  int bits = 1;
  while (bits < 64 && (maxValue >> bits) != 0) bits++;
  return bits;
}

__global__ void iotaKernel(int64_t n, uint32_t* out) {
  const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) out[i] = uint32_t(i);
}

DevCamera toDevCamera(const hf::Camera& c) {
  DevCamera d;
  d.width = c.width;
  d.height = c.height;
  d.fx = c.fx;
  d.fy = c.fy;
  d.cx = c.cx;
  d.cy = c.cy;
  d.near = c.near;
  d.far = c.far;
  for (int k = 0; k < 9; k++) d.R[k] = c.R[k];
  for (int k = 0; k < 3; k++) d.t[k] = c.t[k];
  c.center(d.centre);
  return d;
}

}  // namespace
}  // namespace hfcuda
