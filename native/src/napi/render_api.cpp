// render(cloud, camera, opts) / renderAsync(...) / renderBackward(...): the render-only path and the
// low-level gradient entry point used by the gradient tests.
#include "render_api.h"

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
    // info[5]: optional backend, "cpu" (default), "cuda" (throws when unavailable) or "best".
    const std::string which = info.Length() > 5 && info[5].IsString() ? info[5].As<Napi::String>().Utf8Value() : "cpu";
    std::string why;
    std::unique_ptr<hf::Backend> backend = which == "cuda" ? hf::createCudaBackend(&why)
                                           : which == "best" ? hf::createBestBackend(&why)
                                           : which == "cpu"  ? hf::createCpuBackend()
                                                              : throw std::invalid_argument("backend must be cpu, cuda or best");
    if (!backend) throw std::runtime_error("CUDA backend unavailable: " + why);
    hf::ForwardState state;
    backend->forward(view, job.camera, job.settings, job.out, &state);
    hf::CloudGrads grads;
    backend->backward(view, state, dRgb, dAlpha, grads);
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

}  // namespace

void registerRenderApi(Napi::Env env, Napi::Object exports) {
  exports.Set("render", Napi::Function::New(env, Render, "render"));
  exports.Set("renderAsync", Napi::Function::New(env, RenderAsync, "renderAsync"));
  exports.Set("renderBackward", Napi::Function::New(env, RenderBackward, "renderBackward"));
}

}  // namespace hfnapi
