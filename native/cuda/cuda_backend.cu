// hf::Backend on a CUDA GPU, built into libheadforge_cuda.so (scripts/build-cuda.mjs) and loaded by the
// addon at run time (cuda_loader.h). Same maths and conventions as the CPU backend (src/cpu/*):
//   forward:  upload the cloud -> preprocessForwardKernel (double, as preprocess.cpp) -> inclusive scan of
//             touched tiles -> duplicateKernel -> stable radix sort by (tile, depth) -> tileRangesKernel ->
//             forwardKernel (one block per 16x16 tile) -> download the images. Everything the backward
//             reads stays on the device in the caller's CudaForwardState (forward_state.cuh).
//   backward: upload the pixel gradients (and the cloud, unless the device copy is still the forward's)
//             -> backwardKernel (per-pixel reverse traversal, block-summed per (tile, entry) slot) -> stable
//             sort of pair indices by Gaussian -> gatherGrad2dKernel (each Gaussian's slots in tile order)
//             -> preprocessBackwardKernel (double) -> download the gradients.
// No atomics touch a sum, so results are bit-identical run to run on one GPU (the one atomicMax finds a
// maximum). They differ from the CPU's in float summation order only (see tests/raster/cuda-parity.test.ts).
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_scan.cuh>

#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "abi.h"
#include "device_buffer.cuh"
#include "forward_state.cuh"
#include "preprocess.cuh"
#include "launch_helpers.cuh"
#include "raster.cuh"

namespace hfcuda {
namespace {

// The CUDA state a forward()/backward() was handed, or std::invalid_argument for another backend's.
template <typename State>
auto& cudaState(State& state) {
  return hf::backendState<CudaForwardState>(state, "CUDA");
}

bool sameCloud(const hf::CloudView& a, const hf::CloudView& b) {
  return a.count == b.count && a.shDegree == b.shDegree && a.positions == b.positions && a.logScales == b.logScales &&
         a.rotations == b.rotations && a.opacityLogits == b.opacityLogits && a.shDC == b.shDC && a.shRest == b.shRest;
}

class CudaBackend final : public hf::Backend {
 public:
  CudaBackend() { check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "creating a stream"); }
  ~CudaBackend() override { cudaStreamDestroy(stream_); }
  std::string name() const override { return "cuda"; }
  std::unique_ptr<hf::ForwardState> newForwardState() const override { return std::make_unique<CudaForwardState>(); }

  void forward(const hf::CloudView& cloud, const hf::Camera& camera, const hf::RenderSettings& settings,
               hf::RenderOutputs& out, hf::ForwardState* state) override {
    const int64_t n = cloud.count;
    const int W = camera.width, H = camera.height;
    const int tilesX = (W + kTileSize - 1) / kTileSize, tilesY = (H + kTileSize - 1) / kTileSize;
    const int64_t tiles = int64_t(tilesX) * tilesY;
    const size_t P = size_t(W) * H;
    const int degree = hf::gm::activeShDegree(settings.shDegree, cloud.shDegree);
    // Without a state (a render only) the per-view buffers are the backend's own, reused call to call.
    CudaForwardState& st = state ? cudaState(*state) : renderState_;
    st.filled = false;
    const DevCloud dc = uploadCloud(cloud);
    const DevCamera cam = toDevCamera(camera);
    const DevPre pre = st.screenSpace(n, touched_.ensure(size_t(n) + 1, "allocating screen-space buffers"));
    if (n > 0) preprocessForwardKernel<<<blocksFor(n), kThreads, 0, stream_>>>(dc, cam, degree, tilesX, tilesY, pre);
    check(cudaGetLastError(), "preprocess kernel");

    // Pair offsets: inclusive scan of the touched-tile counts; the total decides the sort size.
    int64_t pairs = 0;
    int64_t* offsets = offsets_.ensure(size_t(n) + 1, "allocating pair offsets");
    if (n > 0) {
      size_t bytes = 0;
      check(cub::DeviceScan::InclusiveSum(nullptr, bytes, pre.touched, offsets, int(n), stream_), "scan (size)");
      check(cub::DeviceScan::InclusiveSum(cubTemp_.ensure(bytes + 1, "allocating scan scratch"), bytes, pre.touched, offsets,
                                          int(n), stream_),
            "scan");
      check(cudaMemcpyAsync(&pairs, offsets + n - 1, sizeof pairs, cudaMemcpyDeviceToHost, stream_), "reading the pair count");
      check(cudaStreamSynchronize(stream_), "preprocess");
    }
    if (pairs > hf::kMaxTilePairs)
      throw std::runtime_error("too many Gaussian/tile overlaps in this view (over " + std::to_string(hf::kMaxTilePairs) +
                               "): the camera is probably inside or very close to the cloud");
    uint64_t* keys = keys_.ensure(size_t(pairs) + 1, "allocating sort keys");
    uint64_t* keysSorted = keysSorted_.ensure(size_t(pairs) + 1, "allocating sort keys");
    uint32_t* values = values_.ensure(size_t(pairs) + 1, "allocating pair lists");
    uint32_t* pairGaussian = st.pairGaussian.ensure(size_t(pairs) + 1, "allocating pair lists");
    int64_t* tileStart = st.tileStart.ensure(size_t(tiles) + 1, "allocating tile ranges");
    if (pairs > 0) {
      duplicateKernel<<<blocksFor(n), kThreads, 0, stream_>>>(n, offsets, pre.radius, pre.rect, pre.depth, tilesX, keys, values);
      check(cudaGetLastError(), "duplicate kernel");
      const int endBit = 32 + bitsFor(uint64_t(tiles - 1));
      size_t bytes = 0;
      check(cub::DeviceRadixSort::SortPairs(nullptr, bytes, keys, keysSorted, values, pairGaussian, int(pairs), 0, endBit,
                                            stream_),
            "radix sort (size)");
      check(cub::DeviceRadixSort::SortPairs(cubTemp_.ensure(bytes + 1, "allocating sort scratch"), bytes, keys, keysSorted, values,
                                            pairGaussian, int(pairs), 0, endBit, stream_),
            "radix sort");
      tileRangesKernel<<<blocksFor(pairs), kThreads, 0, stream_>>>(pairs, tiles, keysSorted, tileStart);
      check(cudaGetLastError(), "tile ranges kernel");
    } else {
      check(cudaMemsetAsync(tileStart, 0, (size_t(tiles) + 1) * sizeof(int64_t), stream_), "clearing tile ranges");
    }

    float* rgb = rgb_.ensure(P * 3, "allocating the image");
    float* alpha = alpha_.ensure(P, "allocating the image");
    float* depthImg = settings.withDepth ? depthImg_.ensure(P, "allocating the depth image") : nullptr;
    float* finalT = st.finalT.ensure(P, "allocating the transmittance");
    uint32_t* lastContrib = st.lastContrib.ensure(P, "allocating the contributor counts");
    const BlendInputs in{pairGaussian, tileStart, pre.mean2d, pre.conic, pre.opacity, pre.color, pre.depth, pre.minPower};
    forwardKernel<<<int(tiles), kBlockPixels, 0, stream_>>>(in, W, H, tilesX, settings.background[0], settings.background[1],
                                                            settings.background[2], rgb, alpha, depthImg, finalT, lastContrib);
    check(cudaGetLastError(), "blend kernel");

    out.rgb.resize(P * 3);
    out.alpha.resize(P);
    download(out.rgb.data(), rgb, P * 3);
    download(out.alpha.data(), alpha, P);
    if (settings.withDepth) {
      out.depth.resize(P);
      download(out.depth.data(), depthImg, P);
    } else {
      out.depth.clear();
    }
    check(cudaStreamSynchronize(stream_), "forward pass");
    st.camera = camera;
    st.settings = settings;
    st.activeDegree = degree;
    st.tilesX = tilesX;
    st.tilesY = tilesY;
    st.count = n;
    st.pairs = pairs;
    st.owner = this;
    st.cloudUpload = cloudUploads_;
    st.cloud = cloud;
    st.filled = true;
  }

  void backward(const hf::CloudView& cloud, const hf::ForwardState& state, const float* dLdRgb, const float* dLdAlpha,
                hf::CloudGrads& grads) override {
    const CudaForwardState& st = cudaState(state);
    if (!st.filled || st.count != cloud.count || st.cloud.shDegree != cloud.shDegree)
      throw std::logic_error("CUDA backward needs the ForwardState of a forward pass of this cloud");
    const int64_t n = cloud.count;
    const hf::Camera& camera = st.camera;
    const int W = camera.width, H = camera.height;
    const int tilesX = st.tilesX;
    const int64_t tiles = int64_t(tilesX) * st.tilesY;
    const size_t P = size_t(W) * H;
    const int64_t pairs = st.pairs;
    // The device copy of the cloud is still the one this state's forward rendered unless this backend
    // uploaded another since (other views rendered in between) or another backend made the state.
    const bool resident = st.owner == this && st.cloudUpload == cloudUploads_ && sameCloud(st.cloud, cloud);
    const DevCloud dc = resident ? deviceCloudView(cloud) : uploadCloud(cloud);
    const DevPre pre = st.screenSpace();
    const uint32_t* pairGaussian = st.pairGaussian.get();
    const int64_t* tileStart = st.tileStart.get();
    const float* finalT = st.finalT.get();
    const uint32_t* lastContrib = st.lastContrib.get();
    float* dRgb = dLdRgb_.ensure(P * 3, "allocating pixel gradients");
    upload(dRgb, dLdRgb, P * 3);
    float* dAlpha = nullptr;
    if (dLdAlpha) {
      dAlpha = dLdAlpha_.ensure(P, "allocating pixel gradients");
      upload(dAlpha, dLdAlpha, P);
    }
    // slotGrads [pairs * 9]: per (tile, entry) 2D gradient sums, zero where no pixel blended the entry.
    float* slotGrads = slotGrads_.ensure((size_t(pairs) + 1) * kGrad2dStride, "allocating gradient slots");
    check(cudaMemsetAsync(slotGrads, 0, size_t(pairs) * kGrad2dStride * sizeof(float), stream_), "clearing gradient slots");
    const BlendInputs in{pairGaussian, tileStart, pre.mean2d, pre.conic, pre.opacity, pre.color, pre.depth, pre.minPower};
    const float* bg = st.settings.background;
    backwardKernel<<<int(tiles), kBlockPixels, 0, stream_>>>(in, W, H, tilesX, bg[0], bg[1], bg[2], finalT, lastContrib,
                                                             dRgb, dAlpha, slotGrads);
    check(cudaGetLastError(), "blend backward kernel");

    // Each Gaussian's pairs in pair order: stable sort of pair indices by Gaussian id.
    float* grad2d = grad2d_.ensure((size_t(n) + 1) * kGrad2dStride, "allocating 2D gradients");
    int64_t* gaussianStart = gaussianStart_.ensure(size_t(n) + 1, "allocating Gaussian ranges");
    if (pairs > 0) {
      uint32_t* pairIndex = pairIndex_.ensure(size_t(pairs), "allocating pair indices");
      uint32_t* pairIndexSorted = pairIndexSorted_.ensure(size_t(pairs), "allocating pair indices");
      uint32_t* idsSorted = idsSorted_.ensure(size_t(pairs), "allocating pair indices");
      iotaKernel<<<blocksFor(pairs), kThreads, 0, stream_>>>(pairs, pairIndex);
      const int endBit = bitsFor(uint64_t(n > 0 ? n - 1 : 0));
      size_t bytes = 0;
      check(cub::DeviceRadixSort::SortPairs(nullptr, bytes, pairGaussian, idsSorted, pairIndex, pairIndexSorted, int(pairs), 0,
                                            endBit, stream_),
            "radix sort by Gaussian (size)");
      check(cub::DeviceRadixSort::SortPairs(cubTemp_.ensure(bytes + 1, "allocating sort scratch"), bytes, pairGaussian, idsSorted,
                                            pairIndex, pairIndexSorted, int(pairs), 0, endBit, stream_),
            "radix sort by Gaussian");
      gaussianRangesKernel<<<blocksFor(pairs), kThreads, 0, stream_>>>(pairs, n, idsSorted, gaussianStart);
      check(cudaGetLastError(), "Gaussian ranges kernel");
      gatherGrad2dKernel<<<blocksFor(n), kThreads, 0, stream_>>>(n, gaussianStart, pairIndexSorted, slotGrads, grad2d);
      check(cudaGetLastError(), "gradient gather kernel");
    } else if (n > 0) {
      check(cudaMemsetAsync(grad2d, 0, size_t(n) * kGrad2dStride * sizeof(float), stream_), "clearing 2D gradients");
    }

    const int K = cloud.restCoeffs();
    DevGrads dg;
    dg.positions = gPositions_.ensure(size_t(n) * 3 + 1, "allocating gradients");
    dg.logScales = gLogScales_.ensure(size_t(n) * 3 + 1, "allocating gradients");
    dg.rotations = gRotations_.ensure(size_t(n) * 4 + 1, "allocating gradients");
    dg.opacityLogits = gOpacity_.ensure(size_t(n) + 1, "allocating gradients");
    dg.shDC = gShDC_.ensure(size_t(n) * 3 + 1, "allocating gradients");
    dg.shRest = gShRest_.ensure(size_t(n) * K * 3 + 1, "allocating gradients");
    dg.meanGrad2dNorm = gMeanNorm_.ensure(size_t(n) + 1, "allocating gradients");
    dg.visible = gVisible_.ensure(size_t(n) + 1, "allocating gradients");
    dg.radii = gRadii_.ensure(size_t(n) + 1, "allocating gradients");
    const DevCamera cam = toDevCamera(camera);
    if (n > 0)
      preprocessBackwardKernel<<<blocksFor(n), kThreads, 0, stream_>>>(dc, cam, st.activeDegree, pre.opacity, pre.clamped,
                                                                       pre.radius, grad2d, dg);
    check(cudaGetLastError(), "projection backward kernel");

    // The layout of hf::CloudGrads::resize (not called: that symbol lives in the addon, not here).
    grads.positions.resize(size_t(n) * 3);
    grads.logScales.resize(size_t(n) * 3);
    grads.rotations.resize(size_t(n) * 4);
    grads.opacityLogits.resize(size_t(n));
    grads.shDC.resize(size_t(n) * 3);
    grads.shRest.resize(size_t(n) * K * 3);
    grads.meanGrad2dNorm.resize(size_t(n));
    grads.visible.resize(size_t(n));
    grads.radii.resize(size_t(n));
    download(grads.positions.data(), dg.positions, grads.positions.size());
    download(grads.logScales.data(), dg.logScales, grads.logScales.size());
    download(grads.rotations.data(), dg.rotations, grads.rotations.size());
    download(grads.opacityLogits.data(), dg.opacityLogits, grads.opacityLogits.size());
    download(grads.shDC.data(), dg.shDC, grads.shDC.size());
    download(grads.shRest.data(), dg.shRest, grads.shRest.size());
    download(grads.meanGrad2dNorm.data(), dg.meanGrad2dNorm, grads.meanGrad2dNorm.size());
    download(grads.visible.data(), dg.visible, grads.visible.size());
    download(grads.radii.data(), dg.radii, grads.radii.size());
    check(cudaStreamSynchronize(stream_), "backward pass");
  }

 private:
  template <typename T>
  void upload(T* dst, const T* src, size_t count) {
    if (count > 0) check(cudaMemcpyAsync(dst, src, count * sizeof(T), cudaMemcpyHostToDevice, stream_), "upload");
  }
  template <typename T>
  void download(T* dst, const T* src, size_t count) {
    if (count > 0) check(cudaMemcpyAsync(dst, src, count * sizeof(T), cudaMemcpyDeviceToHost, stream_), "download");
  }

  DevCloud deviceCloudView(const hf::CloudView& cloud) const {
    return DevCloud{cloud.count,     cloud.restCoeffs(), positions_.get(), logScales_.get(),
                    rotations_.get(), opacityLogits_.get(), shDC_.get(),      shRest_.get()};
  }

  DevCloud uploadCloud(const hf::CloudView& cloud) {
    cloudUploads_++;
    const size_t n = size_t(cloud.count), K = size_t(cloud.restCoeffs());
    positions_.ensure(n * 3 + 1, "allocating the cloud");
    logScales_.ensure(n * 3 + 1, "allocating the cloud");
    rotations_.ensure(n * 4 + 1, "allocating the cloud");
    opacityLogits_.ensure(n + 1, "allocating the cloud");
    shDC_.ensure(n * 3 + 1, "allocating the cloud");
    shRest_.ensure(n * K * 3 + 1, "allocating the cloud");
    upload(positions_.get(), cloud.positions, n * 3);
    upload(logScales_.get(), cloud.logScales, n * 3);
    upload(rotations_.get(), cloud.rotations, n * 4);
    upload(opacityLogits_.get(), cloud.opacityLogits, n);
    upload(shDC_.get(), cloud.shDC, n * 3);
    upload(shRest_.get(), cloud.shRest, n * K * 3);
    return deviceCloudView(cloud);
  }

  cudaStream_t stream_ = nullptr;
  // Cloud (layouts as hf::CloudView) and how many uploads filled it so far (see CudaForwardState).
  DeviceBuffer<float> positions_, logScales_, rotations_, opacityLogits_, shDC_, shRest_;
  uint64_t cloudUploads_ = 0;
  // The per-view buffers of a forward without a caller's state (a render only).
  CudaForwardState renderState_;
  // Forward scratch: touched [N] tiles per Gaussian and its inclusive scan offsets [N]; the binning's
  // keys/values [pairs] before the sort and sorted keys [pairs]; CUB scratch.
  DeviceBuffer<int64_t> touched_, offsets_;
  DeviceBuffer<uint64_t> keys_, keysSorted_;
  DeviceBuffer<uint32_t> values_;
  DeviceBuffer<unsigned char> cubTemp_;
  // Images [H*W] (rgb [H*W*3]).
  DeviceBuffer<float> rgb_, alpha_, depthImg_;
  // Backward: pixel gradients, slots [pairs*9], per-Gaussian order, 2D gradients [N*9], parameter gradients.
  DeviceBuffer<float> dLdRgb_, dLdAlpha_, slotGrads_, grad2d_;
  DeviceBuffer<uint32_t> pairIndex_, pairIndexSorted_, idsSorted_;
  DeviceBuffer<int64_t> gaussianStart_;
  DeviceBuffer<float> gPositions_, gLogScales_, gRotations_, gOpacity_, gShDC_, gShRest_, gMeanNorm_;
  DeviceBuffer<uint8_t> gVisible_;
  DeviceBuffer<int32_t> gRadii_;
};

void writeMessage(char* msg, size_t len, const std::string& text) {
  if (!msg || len == 0) return;
  std::snprintf(msg, len, "%s", text.c_str());
}

}  // namespace
}  // namespace hfcuda

extern "C" __attribute__((visibility("default"))) unsigned long long hf_cuda_abi_tag() { return HF_CUDA_ABI_TAG; }

extern "C" __attribute__((visibility("default"))) int hf_cuda_probe(char* msg, size_t len) {
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    // Without any NVIDIA driver the runtime reports cudaErrorInsufficientDriver: say both readings.
    const char* hint = err == cudaErrorInsufficientDriver ? "; no NVIDIA driver, or one older than this CUDA runtime" : "";
    hfcuda::writeMessage(msg, len,
                         std::string("no CUDA device (cudaGetDeviceCount: ") + cudaGetErrorString(err) + hint + ")");
    return 0;
  }
  if (count <= 0) {
    hfcuda::writeMessage(msg, len, "no CUDA device (the driver reports none)");
    return 0;
  }
  cudaDeviceProp prop;
  const cudaError_t perr = cudaGetDeviceProperties(&prop, 0);
  if (perr != cudaSuccess) {
    hfcuda::writeMessage(msg, len, std::string("CUDA device 0 unusable: ") + cudaGetErrorString(perr));
    return 0;
  }
  char text[512];
  std::snprintf(text, sizeof text, "CUDA device 0: %s, compute %d.%d, %zu MiB", prop.name, prop.major, prop.minor,
                size_t(prop.totalGlobalMem >> 20));
  hfcuda::writeMessage(msg, len, text);
  return count;
}

extern "C" __attribute__((visibility("default"))) hf::Backend* hf_cuda_create_backend(char* msg, size_t len) {
  try {
    if (hf_cuda_probe(msg, len) <= 0) return nullptr;
    hfcuda::check(cudaSetDevice(0), "selecting device 0");
    return new hfcuda::CudaBackend();
  } catch (const std::exception& e) {
    hfcuda::writeMessage(msg, len, e.what());
    return nullptr;
  }
}
