// Runs the CUDA kernels (native/cuda/preprocess.cuh, raster.cuh) on the host through cuda_emu.h, with
// the orchestration of cuda_backend.cu rebuilt from std:: algorithms (scan, stable sorts), and writes
// the images and gradients for tests/raster/cuda-kernels-emulated.test.ts to compare with the CPU backend.
//
//   kernel_check SCENE.bin OUT.bin
// SCENE.bin (little endian): int32 n, shDegree, activeDegree, width, height; float32 bg[3];
//   float64 fx fy cx cy near far R[9] t[3]; float32 positions[n*3] logScales[n*3] rotations[n*4]
//   opacityLogits[n] shDC[n*3] shRest[n*K*3] dLdRgb[H*W*3] dLdAlpha[H*W]   (K = (shDegree+1)^2 - 1)
// OUT.bin: float32 rgb[H*W*3] alpha[H*W] depth[H*W] positions[n*3] logScales[n*3] rotations[n*4]
//   opacityLogits[n] shDC[n*3] shRest[n*K*3] meanGrad2dNorm[n]; int32 radii[n]
#include "cuda_emu.h"

#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <string>

#include "../preprocess.cuh"
#include "../raster.cuh"

using namespace hfcuda;

namespace {

template <typename T>
std::vector<T> readArray(FILE* f, size_t n) {
  std::vector<T> v(n + 1);
  if (n && std::fread(v.data(), sizeof(T), n, f) != n) throw std::runtime_error("scene file too short");
  return v;
}
template <typename T>
void writeArray(FILE* f, const T* p, size_t n) {
  if (n) std::fwrite(p, sizeof(T), n, f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: kernel_check SCENE.bin OUT.bin\n");
    return 2;
  }
  FILE* in = std::fopen(argv[1], "rb");
  if (!in) throw std::runtime_error("cannot open the scene");
  int32_t hdr[5];
  float bg[3];
  double camv[6 + 9 + 3];
  if (std::fread(hdr, 4, 5, in) != 5 || std::fread(bg, 4, 3, in) != 3 || std::fread(camv, 8, 18, in) != 18)
    throw std::runtime_error("scene header too short");
  const int64_t n = hdr[0];
  const int shDegree = hdr[1], degree = hdr[2], W = hdr[3], H = hdr[4];
  const int K = (shDegree + 1) * (shDegree + 1) - 1;
  const size_t P = size_t(W) * H;
  auto positions = readArray<float>(in, n * 3), logScales = readArray<float>(in, n * 3),
       rotations = readArray<float>(in, n * 4), opac = readArray<float>(in, n), shDC = readArray<float>(in, n * 3),
       shRest = readArray<float>(in, n * K * 3), dLdRgb = readArray<float>(in, P * 3), dLdAlpha = readArray<float>(in, P);
  std::fclose(in);

  DevCamera cam;
  cam.width = W;
  cam.height = H;
  cam.fx = camv[0], cam.fy = camv[1], cam.cx = camv[2], cam.cy = camv[3], cam.near = camv[4], cam.far = camv[5];
  for (int k = 0; k < 9; k++) cam.R[k] = camv[6 + k];
  for (int k = 0; k < 3; k++) cam.t[k] = camv[15 + k];
  for (int i = 0; i < 3; i++) cam.centre[i] = -(cam.R[i] * cam.t[0] + cam.R[3 + i] * cam.t[1] + cam.R[6 + i] * cam.t[2]);
  const DevCloud dc{n, K, positions.data(), logScales.data(), rotations.data(), opac.data(), shDC.data(), shRest.data()};
  const int tilesX = (W + kTileSize - 1) / kTileSize, tilesY = (H + kTileSize - 1) / kTileSize;
  const int64_t tiles = int64_t(tilesX) * tilesY;
  const int blocksN = int((n + 255) / 256);

  // Forward: preprocess, scan, duplicate, stable sort, ranges, blend (as CudaBackend::forward).
  std::vector<float> mean2d(n * 2 + 1), depth(n + 1), conic(n * 3 + 1), opacity(n + 1), color(n * 3 + 1), minPower(n + 1);
  std::vector<uint8_t> clamped(n * 3 + 1);
  std::vector<int32_t> radius(n + 1), rect(n * 4 + 1);
  std::vector<int64_t> touched(n + 1), offsets(n + 1);
  const DevPre pre{mean2d.data(), depth.data(), conic.data(), opacity.data(), color.data(), minPower.data(),
                   clamped.data(), radius.data(), rect.data(), touched.data()};
  emu::launchSerial(blocksN, 256, [&] { preprocessForwardKernel(dc, cam, degree, tilesX, tilesY, pre); });
  std::partial_sum(touched.begin(), touched.begin() + n, offsets.begin());
  const int64_t pairs = n > 0 ? offsets[n - 1] : 0;
  std::vector<uint64_t> keys(pairs + 1);
  std::vector<uint32_t> values(pairs + 1);
  emu::launchSerial(blocksN, 256, [&] {
    duplicateKernel(n, offsets.data(), radius.data(), rect.data(), depth.data(), tilesX, keys.data(), values.data());
  });
  std::vector<size_t> order(pairs);
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<uint64_t> keysSorted(pairs + 1);
  std::vector<uint32_t> pairGaussian(pairs + 1);
  for (int64_t k = 0; k < pairs; k++) keysSorted[k] = keys[order[k]], pairGaussian[k] = values[order[k]];
  std::vector<int64_t> tileStart(tiles + 1, 0);
  if (pairs > 0)
    emu::launchSerial(int((pairs + 255) / 256), 256, [&] { tileRangesKernel(pairs, tiles, keysSorted.data(), tileStart.data()); });
  std::vector<float> rgb(P * 3), alpha(P), depthImg(P), finalT(P);
  std::vector<uint32_t> lastContrib(P);
  const BlendInputs bi{pairGaussian.data(), tileStart.data(), mean2d.data(), conic.data(), opacity.data(), color.data(),
                       depth.data(), minPower.data()};
  emu::launchBlocks(int(tiles), kBlockPixels, [&] {
    forwardKernel(bi, W, H, tilesX, bg[0], bg[1], bg[2], rgb.data(), alpha.data(), depthImg.data(), finalT.data(),
                  lastContrib.data());
  });

  // Backward (as CudaBackend::backward).
  std::vector<float> slotGrads((pairs + 1) * kGrad2dStride, 0.f);
  emu::launchBlocks(int(tiles), kBlockPixels, [&] {
    backwardKernel(bi, W, H, tilesX, bg[0], bg[1], bg[2], finalT.data(), lastContrib.data(), dLdRgb.data(), dLdAlpha.data(),
                   slotGrads.data());
  });
  std::vector<uint32_t> pairIndexSorted(pairs + 1), idsSorted(pairs + 1);
  std::vector<size_t> byGaussian(pairs);
  std::iota(byGaussian.begin(), byGaussian.end(), size_t(0));
  std::stable_sort(byGaussian.begin(), byGaussian.end(), [&](size_t a, size_t b) { return pairGaussian[a] < pairGaussian[b]; });
  for (int64_t k = 0; k < pairs; k++) pairIndexSorted[k] = uint32_t(byGaussian[k]), idsSorted[k] = pairGaussian[byGaussian[k]];
  std::vector<int64_t> gaussianStart(n + 1, 0);
  std::vector<float> grad2d(n * kGrad2dStride + 1, 0.f);
  if (pairs > 0) {
    emu::launchSerial(int((pairs + 255) / 256), 256, [&] { gaussianRangesKernel(pairs, n, idsSorted.data(), gaussianStart.data()); });
    emu::launchSerial(blocksN, 256, [&] {
      gatherGrad2dKernel(n, gaussianStart.data(), pairIndexSorted.data(), slotGrads.data(), grad2d.data());
    });
  }
  std::vector<float> gPos(n * 3 + 1), gScale(n * 3 + 1), gRot(n * 4 + 1), gOp(n + 1), gDC(n * 3 + 1), gRest(n * K * 3 + 1),
      gNorm(n + 1);
  std::vector<uint8_t> gVis(n + 1);
  std::vector<int32_t> gRadii(n + 1);
  const DevGrads dg{gPos.data(), gScale.data(), gRot.data(), gOp.data(), gDC.data(), gRest.data(), gNorm.data(),
                    gVis.data(), gRadii.data()};
  emu::launchSerial(blocksN, 256, [&] {
    preprocessBackwardKernel(dc, cam, degree, opacity.data(), clamped.data(), radius.data(), grad2d.data(), dg);
  });

  FILE* out = std::fopen(argv[2], "wb");
  if (!out) throw std::runtime_error("cannot write the output");
  writeArray(out, rgb.data(), P * 3);
  writeArray(out, alpha.data(), P);
  writeArray(out, depthImg.data(), P);
  writeArray(out, gPos.data(), n * 3);
  writeArray(out, gScale.data(), n * 3);
  writeArray(out, gRot.data(), n * 4);
  writeArray(out, gOp.data(), n);
  writeArray(out, gDC.data(), n * 3);
  writeArray(out, gRest.data(), n * K * 3);
  writeArray(out, gNorm.data(), n);
  writeArray(out, gRadii.data(), n);
  std::fclose(out);
  std::printf("{\"pairs\":%lld,\"tiles\":%lld}\n", (long long)pairs, (long long)tiles);
  return 0;
}
