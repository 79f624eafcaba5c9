#pragma once
#include <napi.h>

namespace hfnapi {
void registerRenderApi(Napi::Env env, Napi::Object exports);
void registerTrainerApi(Napi::Env env, Napi::Object exports);
}  // namespace hfnapi
