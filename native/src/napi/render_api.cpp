// render(cloud, camera, opts) / renderAsync(...) / renderBackward(...): the render-only path and the
// low-level gradient entry point used by the gradient tests; forwardStateForTest(...): a forward state's
// host copy, for the tests of the backends' binning and per-pixel state.
#include "render_api.h"

#include <algorithm>
#include <memory>
#include <string>

#include "convert.h"

namespace hfnapi {
namespace {

Napi::Object outputsToJs(const Napi::Env& env, const hf::RenderOutputs& out) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("rgb", toFloat32Array(env, out.rgb));
  o.Set("alpha", toFloat32Array(env, out.alpha));
  if (!out.depth.empty()) o.Set("depth", toFloat32Array(env, out.depth));
  return o;
}

struct RenderJob {
  OwnedCloud cloud;
  hf::Camera camera;
  hf::RenderSettings settings;
  hf::RenderOutputs out;
  void run() {
    const hf::CloudView view = cloud.view();
    hf::validateCloud(view);
    hf::createCpuBackend()->forward(view, camera, settings, out, nullptr);
  }
};

RenderJob readJob(const Napi::CallbackInfo& info) {
  RenderJob job;
  job.cloud = readCloud(info[0]);
  job.camera = readCamera(info[1]);
  job.settings = readSettings(info.Env(), info[2]);
  return job;
}

class RenderWorker : public Napi::AsyncWorker {
 public:
  RenderWorker(Napi::Env env, RenderJob&& job)
      : Napi::AsyncWorker(env), job_(std::move(job)), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      job_.run();
    } catch (const std::bad_alloc&) {
      SetError("out of memory in the rasterizer");
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(outputsToJs(Env(), job_.out)); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  RenderJob job_;
  Napi::Promise::Deferred deferred_;
};

Napi::Value Render(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    RenderJob job = readJob(info);
    job.run();
    return outputsToJs(info.Env(), job.out);
  });
}

Napi::Value RenderAsync(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto* worker = new RenderWorker(info.Env(), readJob(info));
    Napi::Promise p = worker->promise();
    worker->Queue();
    return p;
  });
}

// A backend by name: "cpu", "cuda" (throws when unavailable) or "best" (the trainer's choice).
std::unique_ptr<hf::Backend> backendNamed(const std::string& which) {
  std::string why;
  std::unique_ptr<hf::Backend> backend = which == "cuda" ? hf::createCudaBackend(&why)
                                         : which == "best" ? hf::createBestBackend(&why)
                                         : which == "cpu"  ? hf::createCpuBackend()
                                                            : throw std::invalid_argument("backend must be cpu, cuda or best");
  if (!backend) throw std::runtime_error("CUDA backend unavailable: " + why);
  return backend;
}

std::string backendArg(const Napi::CallbackInfo& info, size_t index) {
  return info.Length() > index && info[index].IsString() ? info[index].As<Napi::String>().Utf8Value() : "cpu";
}

// renderBackward(cloud, camera, opts, dLdRgb Float32Array[H*W*3], dLdAlpha Float32Array[H*W] | null,
//                backend?: 'cpu' | 'cuda' | 'best')
//   -> { rgb, alpha, grads: {positions, scales, rotations, opacities, shDC, shRest}, meanGrad2dNorm, radii }
Napi::Value RenderBackward(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    RenderJob job = readJob(info);
    const int64_t pixels = int64_t(job.camera.width) * job.camera.height;
    const float* dRgb = float32Data(info[3], "dLdRgb", pixels * 3);
    const float* dAlpha = info[4].IsNull() || info[4].IsUndefined() ? nullptr : float32Data(info[4], "dLdAlpha", pixels);
    const hf::CloudView view = job.cloud.view();
    hf::validateCloud(view);
    // info[5]: optional backend, "cpu" (default), "cuda" or "best" (see backendNamed).
    const std::unique_ptr<hf::Backend> backend = backendNamed(backendArg(info, 5));
    const std::unique_ptr<hf::ForwardState> state = backend->newForwardState();
    backend->forward(view, job.camera, job.settings, job.out, state.get());
    hf::CloudGrads grads;
    backend->backward(view, *state, dRgb, dAlpha, grads);
    Napi::Object o = outputsToJs(env, job.out);
    Napi::Object g = Napi::Object::New(env);
    g.Set("positions", toFloat32Array(env, grads.positions));
    g.Set("scales", toFloat32Array(env, grads.logScales));
    g.Set("rotations", toFloat32Array(env, grads.rotations));
    g.Set("opacities", toFloat32Array(env, grads.opacityLogits));
    g.Set("shDC", toFloat32Array(env, grads.shDC));
    g.Set("shRest", toFloat32Array(env, grads.shRest));
    o.Set("grads", g);
    o.Set("meanGrad2dNorm", toFloat32Array(env, grads.meanGrad2dNorm));
    auto radii = Napi::Int32Array::New(env, grads.radii.size());
    std::copy(grads.radii.begin(), grads.radii.end(), radii.Data());
    o.Set("radii", radii);
    return o;
  });
}

template <typename T, typename JsArray>
JsArray copyTo(const Napi::Env& env, const std::vector<T>& v) {
  JsArray a = JsArray::New(env, v.size());
  std::copy(v.begin(), v.end(), a.Data());
  return a;
}

// forwardStateForTest(cloud, camera, opts, backend?: 'cpu' | 'cuda' | 'best') -> the host copy of the
// state a forward pass leaves for the backward (hf::ForwardStateHost): { tilesX, tilesY, tileStart
// Float64Array [tiles+1], pairGaussian Uint32Array [pairs], radius Int32Array [N], depth Float32Array [N],
// finalT Float32Array [H*W], lastContrib Uint32Array [H*W], alpha Float32Array [H*W] (the render's) }.
// Test-only (ForwardState::toHost copies everything; on CUDA it downloads it).
Napi::Value ForwardStateForTest(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    RenderJob job = readJob(info);
    const hf::CloudView view = job.cloud.view();
    hf::validateCloud(view);
    const std::unique_ptr<hf::Backend> backend = backendNamed(backendArg(info, 3));
    const std::unique_ptr<hf::ForwardState> state = backend->newForwardState();
    backend->forward(view, job.camera, job.settings, job.out, state.get());
    const hf::ForwardStateHost h = state->toHost();
    Napi::Object o = Napi::Object::New(env);
    o.Set("tilesX", h.bins.tilesX);
    o.Set("tilesY", h.bins.tilesY);
    o.Set("tileStart", copyTo<int64_t, Napi::Float64Array>(env, h.bins.tileStart));
    o.Set("pairGaussian", copyTo<uint32_t, Napi::Uint32Array>(env, h.bins.pairGaussian));
    o.Set("radius", copyTo<int32_t, Napi::Int32Array>(env, h.pre.radius));
    o.Set("depth", toFloat32Array(env, h.pre.depth));
    o.Set("finalT", toFloat32Array(env, h.finalT));
    o.Set("lastContrib", copyTo<uint32_t, Napi::Uint32Array>(env, h.lastContrib));
    o.Set("alpha", toFloat32Array(env, job.out.alpha));
    return o;
  });
}

}  // namespace

void registerRenderApi(Napi::Env env, Napi::Object exports) {
  exports.Set("render", Napi::Function::New(env, Render, "render"));
  exports.Set("renderAsync", Napi::Function::New(env, RenderAsync, "renderAsync"));
  exports.Set("renderBackward", Napi::Function::New(env, RenderBackward, "renderBackward"));
  exports.Set("forwardStateForTest", Napi::Function::New(env, ForwardStateForTest, "forwardStateForTest"));
}

}  // namespace hfnapi
