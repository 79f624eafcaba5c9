// The CUDA backend's hf::ForwardState: what one forward pass leaves on the device for the backward pass
// of the same view. It stays in device memory, so a training step downloads only its images (forward)
// and its parameter gradients (backward); toHost() copies it to the host for parity checks and tests.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "device_buffer.cuh"
#include "headforge/backend.h"
#include "preprocess.cuh"

namespace hfcuda {

class CudaForwardState final : public hf::ForwardState {
 public:
  // Set by the forward pass that filled the buffers; filled stays false until that pass completed.
  bool filled = false;
  hf::Camera camera;
  hf::RenderSettings settings;
  int activeDegree = 0;
  int tilesX = 0, tilesY = 0;
  int64_t count = 0;  // Gaussians (N)
  int64_t pairs = 0;  // (tile, Gaussian) overlaps
  // Which backend filled it, that backend's cloud-upload counter at the time, and the host cloud it
  // rendered: the backward reuses the backend's device copy of the cloud only while all three still hold.
  const void* owner = nullptr;
  uint64_t cloudUpload = 0;
  hf::CloudView cloud;

  // Device buffers (sized with + 1, never zero bytes; N = count, P = width * height):
  //   screen space as DevPre (preprocess.cuh): mean2d [N*2], depth [N], conic [N*3], opacity [N],
  //     color [N*3], minPower [N], clamped [N*3], radius [N], rect [N*4] (layouts of hf::Preprocessed);
  //   binning: pairGaussian [pairs] Gaussian index per pair, sorted by (tile, depth, index), and
  //     tileStart [tiles + 1] offsets of each tile's run in it;
  //   per pixel: finalT [P] transmittance after the last blended Gaussian, lastContrib [P] one past the
  //     pair index of the last Gaussian blended into the pixel.
  DeviceBuffer<float> mean2d, depth, conic, opacity, color, minPower;
  DeviceBuffer<uint8_t> clamped;
  DeviceBuffer<int32_t> radius, rect;
  DeviceBuffer<uint32_t> pairGaussian;
  DeviceBuffer<int64_t> tileStart;
  DeviceBuffer<float> finalT;
  DeviceBuffer<uint32_t> lastContrib;

  // The screen-space buffers with room for n Gaussians; touched [N] is the backend's scan scratch.
  DevPre screenSpace(int64_t n, int64_t* touched) {
    const size_t m = size_t(n) + 1;
    const char* what = "allocating screen-space buffers";
    DevPre p;
    p.mean2d = mean2d.ensure(m * 2, what);
    p.depth = depth.ensure(m, what);
    p.conic = conic.ensure(m * 3, what);
    p.opacity = opacity.ensure(m, what);
    p.color = color.ensure(m * 3, what);
    p.minPower = minPower.ensure(m, what);
    p.clamped = clamped.ensure(m * 3, what);
    p.radius = radius.ensure(m, what);
    p.rect = rect.ensure(m * 4, what);
    p.touched = touched;
    return p;
  }
  // The same buffers as filled (no scan scratch: the backward does not read it).
  DevPre screenSpace() const {
    return DevPre{mean2d.get(), depth.get(), conic.get(), opacity.get(), color.get(), minPower.get(),
                  clamped.get(), radius.get(), rect.get(), nullptr};
  }

  hf::ForwardStateHost toHost() const override {
    if (!filled) throw std::logic_error("ForwardState::toHost before a forward pass filled it");
    // The forward synchronised its stream before it returned; this waits for anything queued since.
    check(cudaDeviceSynchronize(), "waiting for the device");
    const size_t n = size_t(count), P = size_t(camera.width) * camera.height;
    hf::ForwardStateHost h;
    h.camera = camera;
    h.settings = settings;
    h.activeDegree = activeDegree;
    copyOut(h.pre.mean2d, mean2d, n * 2);
    copyOut(h.pre.depth, depth, n);
    copyOut(h.pre.conic, conic, n * 3);
    copyOut(h.pre.opacity, opacity, n);
    copyOut(h.pre.color, color, n * 3);
    copyOut(h.pre.colorClamped, clamped, n * 3);
    copyOut(h.pre.radius, radius, n);
    copyOut(h.pre.rect, rect, n * 4);
    h.bins.tilesX = tilesX;
    h.bins.tilesY = tilesY;
    copyOut(h.bins.tileStart, tileStart, size_t(tilesX) * tilesY + 1);
    copyOut(h.bins.pairGaussian, pairGaussian, size_t(pairs));
    copyOut(h.finalT, finalT, P);
    copyOut(h.lastContrib, lastContrib, P);
    return h;
  }

 private:
  template <typename T>
  static void copyOut(std::vector<T>& dst, const DeviceBuffer<T>& src, size_t count) {
    dst.resize(count);
    if (count > 0)
      check(cudaMemcpy(dst.data(), src.get(), count * sizeof(T), cudaMemcpyDeviceToHost), "copying a forward state to the host");
  }
};

}  // namespace hfcuda
