// Module entry: render functions, the Trainer class and backend information.
#include <napi.h>

#include "headforge/backend.h"
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

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("backendInfo", Napi::Function::New(env, BackendInfo, "backendInfo"));
  hfnapi::registerRenderApi(env, exports);
  hfnapi::registerTrainerApi(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(headforge_raster, Init)
