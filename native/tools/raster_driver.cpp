// Standalone driver for profiling and regression-checking the CPU kernels without Node.
// Build (from native/):
//   g++ -std=c++17 -O3 -march=x86-64-v2 -fno-math-errno -pthread -g -Iinclude src/cpu/*.cpp tools/raster_driver.cpp -o /tmp/raster_driver
// Usage: raster_driver SCENE.bin MODE ITER THREADS [DUMP.bin]
//   MODE fwd: ITER forward renders of view 0; bwd: ITER forward+backward (dL/drgb = 1e-3);
//   train: ITER trainer steps (densify off, SH degree 3 from the start, 16 targets rendered from the truth).
// Prints ms per iteration and a checksum; DUMP receives rgb of the last render + all gradient groups (fwd/bwd)
// or the trained parameters (train), to compare two builds bit for bit.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "headforge/backend.h"
#include "headforge/trainer.h"

using namespace hf;

namespace {
struct Scene {
  int count = 0, deg = 0, views = 0, size = 0;
  CloudData truth, start;
  std::vector<Camera> cams;
};

Scene load(const char* path) {
  std::ifstream f(path, std::ios::binary);
  std::vector<char> buf((std::istreambuf_iterator<char>(f)), {});
  size_t off = 0;
  auto take = [&](void* dst, size_t n) {
    if (off + n > buf.size()) throw std::runtime_error("short scene file");
    std::memcpy(dst, buf.data() + off, n);
    off += n;
  };
  Scene s;
  int32_t hdr[4];
  take(hdr, sizeof hdr);
  s.count = hdr[0], s.deg = hdr[1], s.views = hdr[2], s.size = hdr[3];
  for (CloudData* c : {&s.truth, &s.start}) {
    c->count = s.count;
    c->shDegree = s.deg;
    for (auto pr : c->groups()) {
      pr.first->resize(size_t(s.count) * pr.second);
      take(pr.first->data(), pr.first->size() * 4);
    }
  }
  for (int v = 0; v < s.views; v++) {
    double d[18];
    take(d, sizeof d);
    Camera cam;
    cam.width = cam.height = s.size;
    cam.fx = d[0], cam.fy = d[1], cam.cx = d[2], cam.cy = d[3], cam.near = d[4], cam.far = d[5];
    for (int r = 0; r < 3; r++) {
      for (int k = 0; k < 3; k++) cam.R[r * 3 + k] = d[6 + r * 4 + k];
      cam.t[r] = d[6 + r * 4 + 3];
    }
    s.cams.push_back(cam);
  }
  return s;
}

double checksum(const std::vector<float>& v) {
  double acc = 0;
  for (size_t i = 0; i < v.size(); i++) acc += double(v[i]) * double((i % 7) + 1);
  return acc;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: raster_driver SCENE MODE ITER THREADS [DUMP]\n");
    return 2;
  }
  Scene s = load(argv[1]);
  const std::string mode = argv[2];
  const int iters = std::atoi(argv[3]), threads = std::atoi(argv[4]);
  std::FILE* dump = argc > 5 ? std::fopen(argv[5], "wb") : nullptr;
  auto write = [&](const std::vector<float>& v) {
    if (dump) std::fwrite(v.data(), 4, v.size(), dump);
  };
  auto backend = createCpuBackend();
  RenderSettings rs;
  rs.threads = threads;
  const auto t0 = std::chrono::steady_clock::now();
  if (mode == "fwd" || mode == "bwd") {
    RenderOutputs out;
    const std::unique_ptr<ForwardState> st = backend->newForwardState();
    CloudGrads grads;
    std::vector<float> dL(size_t(s.size) * s.size * 3, 1e-3f);
    for (int i = 0; i < iters; i++) {
      backend->forward(s.start.view(), s.cams[0], rs, out, st.get());
      if (mode == "bwd") backend->backward(s.start.view(), *st, dL.data(), nullptr, grads);
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / iters;
    std::printf("%s %dx%d n=%d threads=%d: %.2f ms/iter rgb %.9g", mode.c_str(), s.size, s.size, s.count, threads, ms,
                checksum(out.rgb));
    write(out.rgb);
    write(out.alpha);
    if (mode == "bwd") {
      for (auto* g : {&grads.positions, &grads.logScales, &grads.rotations, &grads.opacityLogits, &grads.shDC, &grads.shRest,
                      &grads.meanGrad2dNorm}) {
        std::printf(" %.9g", checksum(*g));
        write(*g);
      }
    }
    std::printf("\n");
  } else {
    std::vector<TrainView> views;
    RenderOutputs out;
    RenderSettings trs;
    trs.threads = threads;
    for (const Camera& cam : s.cams) {
      backend->forward(s.truth.view(), cam, trs, out, nullptr);
      TrainView v;
      v.camera = cam;
      v.alpha = out.alpha;
      v.rgb = out.rgb;  // straight colour is not needed exactly here: any fixed target works
      views.push_back(std::move(v));
    }
    TrainerOptions o;
    o.threads = threads;
    o.densifyInterval = 0;
    o.shDegreeInterval = 0;
    o.seed = 1;
    Trainer tr(s.start, std::move(views), o);
    std::atomic<bool> cancel{false};
    const auto t1 = std::chrono::steady_clock::now();
    TrainStats st = tr.step(iters, cancel);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count() / iters;
    std::printf("train %dx%d n=%d threads=%d: %.2f ms/step (%.2f steps/s) loss %.9g pos %.9g sh %.9g\n", s.size, s.size,
                s.count, threads, ms, 1000 / ms, st.loss, checksum(tr.cloud().positions), checksum(tr.cloud().shRest));
    for (auto pr : const_cast<CloudData&>(tr.cloud()).groups()) write(*pr.first);
  }
  if (dump) std::fclose(dump);
  return 0;
}
