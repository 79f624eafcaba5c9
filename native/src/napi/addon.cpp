// Module entry: render functions, the Trainer class and backend information.
#include <napi.h>

#include "headforge/backend.h"
#include "headforge/parallel.h"
#include "render_api.h"

namespace {

Napi::Value BackendInfo(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  std::string reason;
  auto backend = hf::createBestBackend(&reason);
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
