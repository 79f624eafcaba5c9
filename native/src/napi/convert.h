// JS <-> C++ conversion with validation: every malformed input becomes a TypeError/RangeError that says
// which field is wrong. Inputs are copied so that async work never touches JS-owned memory.
#pragma once
#include <napi.h>

#include <string>
#include <vector>

#include "headforge/backend.h"
#include "headforge/cloud_data.h"

namespace hfnapi {

// A GaussianCloud copied out of JS (same layout as src/shared/gaussians/cloud.ts).
using OwnedCloud = hf::CloudData;

OwnedCloud readCloud(const Napi::Value& value);
hf::Camera readCamera(const Napi::Value& value);
hf::RenderSettings readSettings(const Napi::Env& env, const Napi::Value& value);
Napi::Object writeCloud(const Napi::Env& env, const OwnedCloud& cloud);

Napi::Float32Array toFloat32Array(const Napi::Env& env, const std::vector<float>& data);
// Float32Array of exactly `expected` elements (or any length when expected < 0).
const float* float32Data(const Napi::Value& value, const char* what, int64_t expected, int64_t* lengthOut = nullptr);

// Runs fn, turning C++ exceptions into JS errors (never a process abort).
template <class Fn>
auto guarded(const Napi::Env& env, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Napi::RangeError::New(env, "out of memory in the rasterizer");
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(env, e.what());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

}  // namespace hfnapi
