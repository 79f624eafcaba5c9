// Tile binning and per-pixel blending on the device, same rules as the CPU backend:
//   binning.cpp  -> duplicateKernel + a stable radix sort of (tile << 32 | depth bits) keys whose values
//                   are Gaussian indices emitted in index order, so ties in depth keep index order exactly
//                   like the CPU's (depth, index) sort; tileRangesKernel -> tileStart [tiles + 1].
//   blend_rows.h -> forwardKernel / backwardKernel: one 16x16 thread block per tile, one thread per pixel,
//                   the same power / alpha / transmittance tests in the same float operation order
//                   (the build uses --fmad=false so no fused multiply-add changes the rounding).
// Determinism: nothing here uses atomics. The backward sums each (tile, entry) over the tile's pixels
// with a fixed tree (warp shuffles, then the 8 warps in order) into a slot per pair, and
// gatherGrad2dKernel adds a Gaussian's slots in pair (= tile) order, like the CPU's reduction.
#pragma once
#include <cstdint>

#include "constants.cuh"

namespace hfcuda {

// keys [pairs] = tile << 32 | float bits of depth (depth > near > 0, so the bits order like the floats),
// values [pairs] = Gaussian index. offsets [N] = inclusive scan of touched.
__global__ void duplicateKernel(int64_t n, const int64_t* offsets, const int32_t* radius, const int32_t* rect,
                                const float* depth, int tilesX, uint64_t* keys, uint32_t* values) {
  const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n || radius[i] <= 0) return;
  int64_t out = i == 0 ? 0 : offsets[i - 1];
  const uint64_t depthBits = uint64_t(__float_as_uint(depth[i]));
  const int32_t* r = rect + i * 4;
  for (int ty = r[1]; ty < r[3]; ty++)
    for (int tx = r[0]; tx < r[2]; tx++) {
      keys[out] = (uint64_t(int64_t(ty) * tilesX + tx) << 32) | depthBits;
      values[out] = uint32_t(i);
      out++;
    }
}

// tileStart [tiles + 1]: tile t's entries are sorted pairs tileStart[t] .. tileStart[t+1]. Every slot is
// written once: by the first pair of each tile run for the tiles up to its own, by the last pair for
// the tiles after it (pairs > 0; the caller zero-fills when there are none).
__global__ void tileRangesKernel(int64_t pairs, int64_t tiles, const uint64_t* sortedKeys, int64_t* tileStart) {
  const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= pairs) return;
  const int64_t tile = int64_t(sortedKeys[i] >> 32);
  const int64_t prev = i == 0 ? -1 : int64_t(sortedKeys[i - 1] >> 32);
  for (int64_t u = prev + 1; u <= tile; u++) tileStart[u] = i;
  if (i == pairs - 1)
    for (int64_t u = tile + 1; u <= tiles; u++) tileStart[u] = pairs;
}

// Per-Gaussian data the blending reads, gathered once per view in depth order would cost a copy per
// pair; instead each block stages a batch of its tile's entries in shared memory.
struct BlendInputs {
  const uint32_t* pairGaussian;  // [pairs] sorted values
  const int64_t* tileStart;      // [tiles + 1]
  const float *mean2d, *conic, *opacity, *color, *depth, *minPower;
};

constexpr int kBlockPixels = kTileSize * kTileSize;

// power = -0.5 (a dx dx + c dy dy) - b dx dy with the CPU's operation order (cdd = c dy dy first).
__device__ __forceinline__ float blendPower(float a, float b, float c, float dx, float dy) {
  const float cdd = c * dy * dy;
  return -0.5f * (a * dx * dx + cdd) - b * dx * dy;
}

// Outputs: rgb [H*W*3], alpha [H*W], depthOut [H*W] or null, finalT [H*W], lastContrib [H*W] (one past
// the global pair index of the last blended Gaussian; the tile's first pair index when none).
__global__ void __launch_bounds__(kBlockPixels) forwardKernel(BlendInputs in, int W, int H, int tilesX, float bg0, float bg1,
                                                              float bg2, float* rgb, float* alpha, float* depthOut,
                                                              float* finalT, uint32_t* lastContrib) {
  const int tile = blockIdx.x;
  const int px = (tile % tilesX) * kTileSize + threadIdx.x % kTileSize;
  const int py = (tile / tilesX) * kTileSize + threadIdx.x / kTileSize;
  const bool inside = px < W && py < H;
  const float fx = float(px) + 0.5f, fy = float(py) + 0.5f;
  const int64_t s = in.tileStart[tile], e = in.tileStart[tile + 1];
  __shared__ uint32_t ids[kBlockPixels];
  float T = 1.f, r = 0.f, g = 0.f, b = 0.f, d = 0.f;
  int64_t last = s;
  bool done = !inside;
  for (int64_t base = s; base < e; base += kBlockPixels) {
    if (__syncthreads_and(done)) break;
    if (base + threadIdx.x < e) ids[threadIdx.x] = in.pairGaussian[base + threadIdx.x];
    __syncthreads();
    const int batch = e - base < kBlockPixels ? int(e - base) : kBlockPixels;
    for (int k = 0; k < batch && !done; k++) {
      const uint32_t id = ids[k];
      const float dx = fx - in.mean2d[id * 2], dy = fy - in.mean2d[id * 2 + 1];
      const float power = blendPower(in.conic[id * 3], in.conic[id * 3 + 1], in.conic[id * 3 + 2], dx, dy);
      if (!(power <= 0.f) || !(power >= in.minPower[id])) continue;
      const float a = fminf(in.opacity[id] * expf(power), kMaxAlpha);
      if (!(a >= kMinAlpha)) continue;
      const float nextT = T * (1.f - a);
      if (nextT < kMinTransmittance) {
        done = true;
        break;
      }
      const float w = a * T;
      r = r + w * in.color[id * 3];
      g = g + w * in.color[id * 3 + 1];
      b = b + w * in.color[id * 3 + 2];
      if (depthOut) d = d + w * in.depth[id];
      T = nextT;
      last = base + k + 1;
    }
  }
  if (!inside) return;
  const size_t p = size_t(py) * W + px;
  rgb[p * 3] = r + T * bg0;
  rgb[p * 3 + 1] = g + T * bg1;
  rgb[p * 3 + 2] = b + T * bg2;
  alpha[p] = 1.f - T;
  if (depthOut) depthOut[p] = d;
  finalT[p] = T;
  lastContrib[p] = uint32_t(last);
}

// Sums acc[0..9) over the block with the same fixed tree every time: xor shuffles inside each warp, then
// the 8 warps' sums in warp order by threads 0..8, which write slot[0..9). scratch [9][8]. One barrier:
// the caller's next __syncthreads_or keeps the next entry from overwriting scratch before it is read.
__device__ __forceinline__ void blockSum9(float acc[kGrad2dStride], float (*scratch)[kBlockPixels / 32], float* slot) {
  const int warp = threadIdx.x / 32;
  for (int q = 0; q < kGrad2dStride; q++) {
    float v = acc[q];
    for (int off = 16; off > 0; off >>= 1) v += __shfl_xor_sync(0xffffffffu, v, off);
    if ((threadIdx.x & 31) == 0) scratch[q][warp] = v;
  }
  __syncthreads();
  if (threadIdx.x < kGrad2dStride) {
    float sum = 0.f;
    for (int k = 0; k < kBlockPixels / 32; k++) sum += scratch[threadIdx.x][k];
    slot[threadIdx.x] = sum;
  }
}

// Reverse traversal, per pixel from its last contributor back to the tile's first entry, recovering the
// transmittance in front of each entry from the saved final T (the CPU's backwardSpan maths).
// slotGrads [pairs * 9]: the tile's summed 2D gradient of each of its entries (mean x y, conic a b c,
// opacity, colour r g b), zero for entries no pixel blended (the caller clears the buffer).
__global__ void __launch_bounds__(kBlockPixels) backwardKernel(BlendInputs in, int W, int H, int tilesX, float bg0, float bg1,
                                                               float bg2, const float* finalTArr, const uint32_t* lastArr,
                                                               const float* dLdRgb, const float* dLdAlpha, float* slotGrads) {
  const int tile = blockIdx.x;
  const int px = (tile % tilesX) * kTileSize + threadIdx.x % kTileSize;
  const int py = (tile / tilesX) * kTileSize + threadIdx.x / kTileSize;
  const bool inside = px < W && py < H;
  const float fx = float(px) + 0.5f, fy = float(py) + 0.5f;
  const int64_t s = in.tileStart[tile];
  const size_t p = inside ? size_t(py) * W + px : 0;
  const int64_t last = inside ? int64_t(lastArr[p]) : s;
  const float Tfinal = inside ? finalTArr[p] : 1.f;
  float T = Tfinal, Rr = 0.f, Rg = 0.f, Rb = 0.f;
  const float gr = inside ? dLdRgb[p * 3] : 0.f, gg = inside ? dLdRgb[p * 3 + 1] : 0.f, gb = inside ? dLdRgb[p * 3 + 2] : 0.f;
  const float bgTerm = inside ? (dLdAlpha ? dLdAlpha[p] : 0.f) - (bg0 * gr + bg1 * gg + bg2 * gb) : 0.f;
  __shared__ float scratch[kGrad2dStride][kBlockPixels / 32];
  __shared__ int64_t blockLast;
  if (threadIdx.x == 0) blockLast = s;
  __syncthreads();
  if (last > s) atomicMax(reinterpret_cast<unsigned long long*>(&blockLast), (unsigned long long)last);  // order-free
  __syncthreads();
  for (int64_t pair = blockLast - 1; pair >= s; pair--) {
    const uint32_t id = in.pairGaussian[pair];
    float acc[kGrad2dStride] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    bool contributes = false;
    if (pair < last) {
      const float mx = in.mean2d[id * 2], my = in.mean2d[id * 2 + 1];
      const float ca = in.conic[id * 3], cb = in.conic[id * 3 + 1], cc = in.conic[id * 3 + 2];
      const float dx = fx - mx, dy = fy - my;
      const float power = blendPower(ca, cb, cc, dx, dy);
      if (power <= 0.f && power >= in.minPower[id]) {
        const float gauss = expf(power);
        const float raw = in.opacity[id] * gauss;
        const float a = fminf(raw, kMaxAlpha);
        if (a >= kMinAlpha) {
          contributes = true;
          const float oneMinus = 1.f - a;
          const float invOneMinus = 1.f / oneMinus;
          T = T * invOneMinus;
          const float w = a * T;
          const float cr = in.color[id * 3], cg = in.color[id * 3 + 1], cbl = in.color[id * 3 + 2];
          acc[6] = w * gr;
          acc[7] = w * gg;
          acc[8] = w * gb;
          const float dLdA = T * ((cr - Rr) * gr + (cg - Rg) * gg + (cbl - Rb) * gb) + Tfinal * invOneMinus * bgTerm;
          Rr = a * cr + oneMinus * Rr;
          Rg = a * cg + oneMinus * Rg;
          Rb = a * cbl + oneMinus * Rb;
          if (raw < kMaxAlpha) {  // clamped alpha: no gradient to opacity or shape
            acc[5] = gauss * dLdA;
            const float dLdPower = dLdA * raw;
            acc[0] = dLdPower * (ca * dx + cb * dy);
            acc[1] = dLdPower * (cb * dx + cc * dy);
            acc[2] = dLdPower * (-0.5f * dx * dx);
            acc[3] = dLdPower * (-dx * dy);
            acc[4] = dLdPower * (-0.5f * dy * dy);
          }
        }
      }
    }
    if (!__syncthreads_or(contributes)) continue;  // uniform: the whole block skips together
    blockSum9(acc, scratch, slotGrads + pair * kGrad2dStride);
  }
}

// grad2d [N*9] = sum of Gaussian i's slots in pair order. byGaussianPairs [pairs] = pair indices sorted
// (stably) by Gaussian, gaussianStart [N + 1] = offsets into it.
__global__ void gatherGrad2dKernel(int64_t n, const int64_t* gaussianStart, const uint32_t* byGaussianPairs,
                                   const float* slotGrads, float* grad2d) {
  const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float acc[kGrad2dStride] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (int64_t k = gaussianStart[i]; k < gaussianStart[i + 1]; k++) {
    const float* src = slotGrads + size_t(byGaussianPairs[k]) * kGrad2dStride;
    for (int q = 0; q < kGrad2dStride; q++) acc[q] += src[q];
  }
  for (int q = 0; q < kGrad2dStride; q++) grad2d[i * kGrad2dStride + q] = acc[q];
}

// gaussianStart [N + 1] from the Gaussian ids sorted ascending (sortedIds [pairs]), like tileRangesKernel.
__global__ void gaussianRangesKernel(int64_t pairs, int64_t n, const uint32_t* sortedIds, int64_t* gaussianStart) {
  const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= pairs) return;
  const int64_t id = sortedIds[i];
  const int64_t prev = i == 0 ? -1 : int64_t(sortedIds[i - 1]);
  for (int64_t u = prev + 1; u <= id; u++) gaussianStart[u] = i;
  if (i == pairs - 1)
    for (int64_t u = id + 1; u <= n; u++) gaussianStart[u] = pairs;
}

}  // namespace hfcuda
