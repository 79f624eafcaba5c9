// Module entry: render functions, the Trainer class and backend information.
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <string>

#include "headforge/backend.h"
#include "../../cuda/self_check.h"
#include "headforge/parallel.h"
#include "render_api.h"

namespace {

Napi::Value BackendInfo(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  std::string reason;
  std::unique_ptr<hf::Backend> backend;
  try {
    backend = hf::createBestBackend(&reason);
  } catch (const std::exception& e) {  // HEADFORGE_RASTER_BACKEND=cuda without a usable GPU, or a bad value
    Napi::Error::New(env, e.what()).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("backend", backend->name());
  o.Set("reason", reason);
  o.Set("hardwareThreads", hf::resolveThreads(0));
  o.Set("maxGaussians", double(hf::kMaxGaussians));
  o.Set("maxImageSide", hf::kMaxImageSide);
  return o;
}

// Test hook for the CUDA start-up self-check (native/cuda/self_check.h), which needs no GPU: the CPU
// backend checked against a wrapper around a second CPU backend that perturbs one output on purpose.
//   perturbation: "none" (must pass) | "image" (rgb + 0.31 at one pixel) | "gradient" (positions
//   gradient * 1.01) | "radii" (one radius + 1) | "nan" (a NaN in shDC gradient) | "throw" (forward throws).
class PerturbedBackend final : public hf::Backend {
 public:
  explicit PerturbedBackend(std::string what) : inner_(hf::createCpuBackend()), what_(std::move(what)) {}
  std::string name() const override { return "perturbed-cpu"; }
  std::unique_ptr<hf::ForwardState> newForwardState() const override { return inner_->newForwardState(); }
  void forward(const hf::CloudView& cloud, const hf::Camera& camera, const hf::RenderSettings& settings,
               hf::RenderOutputs& out, hf::ForwardState* state) override {
    if (what_ == "throw") throw std::runtime_error("CUDA error: an illegal memory access was encountered");
    inner_->forward(cloud, camera, settings, out, state);
    if (what_ == "image" && !out.rgb.empty()) out.rgb[out.rgb.size() / 2] += 0.31f;
  }
  void backward(const hf::CloudView& cloud, const hf::ForwardState& state, const float* dLdRgb,
                const float* dLdAlpha, hf::CloudGrads& grads) override {
    inner_->backward(cloud, state, dLdRgb, dLdAlpha, grads);
    if (what_ == "gradient")
      for (float& g : grads.positions) g *= 1.01f;
    if (what_ == "radii" && !grads.radii.empty()) grads.radii[0] += 1;
    if (what_ == "nan" && !grads.shDC.empty()) grads.shDC[0] = std::nanf("");
  }

 private:
  std::unique_ptr<hf::Backend> inner_;
  std::string what_;
};

Napi::Value SelfCheckForTest(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const std::string what = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  static const char* const kKnown[] = {"none", "image", "gradient", "radii", "nan", "throw"};
  if (std::find(std::begin(kKnown), std::end(kKnown), what) == std::end(kKnown)) {
    Napi::TypeError::New(env, "selfCheckForTest: perturbation must be none, image, gradient, radii, nan or throw")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::unique_ptr<hf::Backend> reference = hf::createCpuBackend();
  PerturbedBackend candidate(what);
  const hf::selfcheck::Outcome outcome = hf::selfcheck::compareBackends(*reference, candidate);
  Napi::Object o = Napi::Object::New(env);
  o.Set("passed", outcome.passed);
  o.Set("failure", outcome.failure);
  o.Set("visibleGaussians", outcome.visibleGaussians);
  o.Set("opaquePixels", outcome.opaquePixels);
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("backendInfo", Napi::Function::New(env, BackendInfo, "backendInfo"));
  exports.Set("selfCheckForTest", Napi::Function::New(env, SelfCheckForTest, "selfCheckForTest"));
  hfnapi::registerRenderApi(env, exports);
  hfnapi::registerTrainerApi(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(headforge_raster, Init)
