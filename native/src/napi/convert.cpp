#include "convert.h"

#include <cmath>

namespace hfnapi {

const float* float32Data(const Napi::Value& value, const char* what, int64_t expected, int64_t* lengthOut) {
  const Napi::Env env = value.Env();
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(env, std::string(what) + " must be a Float32Array");
  auto arr = value.As<Napi::Float32Array>();
  const int64_t len = int64_t(arr.ElementLength());
  if (expected >= 0 && len != expected)
    throw Napi::RangeError::New(env, std::string(what) + " has length " + std::to_string(len) + ", expected " +
                                         std::to_string(expected));
  if (lengthOut) *lengthOut = len;
  return arr.Data();
}

namespace {

double numberField(const Napi::Object& obj, const char* key, const char* owner) {
  const Napi::Value v = obj.Get(key);
  if (!v.IsNumber()) throw Napi::TypeError::New(obj.Env(), std::string(owner) + "." + key + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

std::vector<float> copyField(const Napi::Object& obj, const char* key, int64_t expected) {
  const std::string what = std::string("cloud.") + key;
  const float* data = float32Data(obj.Get(key), what.c_str(), expected);
  return std::vector<float>(data, data + expected);
}

}  // namespace

OwnedCloud readCloud(const Napi::Value& value) {
  const Napi::Env env = value.Env();
  if (!value.IsObject()) throw Napi::TypeError::New(env, "cloud must be a GaussianCloud object");
  const Napi::Object obj = value.As<Napi::Object>();
  OwnedCloud c;
  const double count = numberField(obj, "count", "cloud");
  if (!(count >= 0) || count != std::floor(count))
    throw Napi::RangeError::New(env, "cloud.count must be a non-negative integer");
  if (count > double(hf::kMaxGaussians))
    throw Napi::RangeError::New(env, "cloud.count " + std::to_string(int64_t(count)) + " exceeds the rasterizer limit of " +
                                         std::to_string(hf::kMaxGaussians) + " Gaussians");
  const double degree = numberField(obj, "shDegree", "cloud");
  if (!(degree == 0 || degree == 1 || degree == 2 || degree == 3))
    throw Napi::RangeError::New(env, "cloud.shDegree must be 0, 1, 2 or 3");
  c.count = int64_t(count);
  c.shDegree = int(degree);
  const int64_t n = c.count;
  const int64_t K = (c.shDegree + 1) * (c.shDegree + 1) - 1;
  c.positions = copyField(obj, "positions", n * 3);
  c.logScales = copyField(obj, "scales", n * 3);
  c.rotations = copyField(obj, "rotations", n * 4);
  c.opacityLogits = copyField(obj, "opacities", n);
  c.shDC = copyField(obj, "shDC", n * 3);
  c.shRest = copyField(obj, "shRest", n * K * 3);
  return c;
}

Napi::Object writeCloud(const Napi::Env& env, const OwnedCloud& c) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("count", Napi::Number::New(env, double(c.count)));
  o.Set("shDegree", Napi::Number::New(env, c.shDegree));
  o.Set("positions", toFloat32Array(env, c.positions));
  o.Set("scales", toFloat32Array(env, c.logScales));
  o.Set("rotations", toFloat32Array(env, c.rotations));
  o.Set("opacities", toFloat32Array(env, c.opacityLogits));
  o.Set("shDC", toFloat32Array(env, c.shDC));
  o.Set("shRest", toFloat32Array(env, c.shRest));
  return o;
}

hf::Camera readCamera(const Napi::Value& value) {
  const Napi::Env env = value.Env();
  if (!value.IsObject()) throw Napi::TypeError::New(env, "camera must be a RasterCamera object");
  const Napi::Object obj = value.As<Napi::Object>();
  hf::Camera c;
  const double w = numberField(obj, "width", "camera"), h = numberField(obj, "height", "camera");
  if (!(w >= 1 && h >= 1) || w != std::floor(w) || h != std::floor(h) || w > hf::kMaxImageSide || h > hf::kMaxImageSide)
    throw Napi::RangeError::New(env, "camera size must be integers in 1.." + std::to_string(hf::kMaxImageSide) +
                                         ", got " + std::to_string(w) + "x" + std::to_string(h));
  c.width = int(w);
  c.height = int(h);
  c.fx = numberField(obj, "fx", "camera");
  c.fy = numberField(obj, "fy", "camera");
  c.cx = numberField(obj, "cx", "camera");
  c.cy = numberField(obj, "cy", "camera");
  c.near = numberField(obj, "near", "camera");
  c.far = numberField(obj, "far", "camera");
  const Napi::Value m = obj.Get("worldToCamera");
  double mat[12];
  if (m.IsTypedArray() && m.As<Napi::TypedArray>().TypedArrayType() == napi_float64_array &&
      m.As<Napi::Float64Array>().ElementLength() == 12) {
    auto a = m.As<Napi::Float64Array>();
    for (int i = 0; i < 12; i++) mat[i] = a[i];
  } else if (m.IsArray() && m.As<Napi::Array>().Length() == 12) {
    auto a = m.As<Napi::Array>();
    for (uint32_t i = 0; i < 12; i++) {
      const Napi::Value e = a.Get(i);
      if (!e.IsNumber()) throw Napi::TypeError::New(env, "camera.worldToCamera entries must be numbers");
      mat[i] = e.As<Napi::Number>().DoubleValue();
    }
  } else {
    throw Napi::TypeError::New(env, "camera.worldToCamera must be a Float64Array(12) (row-major 3x4)");
  }
  for (int r = 0; r < 3; r++) {
    for (int k = 0; k < 3; k++) c.R[r * 3 + k] = mat[r * 4 + k];
    c.t[r] = mat[r * 4 + 3];
  }
  hf::validateCamera(c);
  return c;
}

hf::RenderSettings readSettings(const Napi::Env& env, const Napi::Value& value) {
  hf::RenderSettings s;
  if (value.IsUndefined() || value.IsNull()) return s;
  if (!value.IsObject()) throw Napi::TypeError::New(env, "render options must be an object");
  const Napi::Object o = value.As<Napi::Object>();
  const Napi::Value bg = o.Get("background");
  if (!bg.IsUndefined()) {
    bool ok = false;
    if (bg.IsArray() && bg.As<Napi::Array>().Length() == 3) {
      ok = true;
      for (uint32_t i = 0; i < 3; i++) {
        const Napi::Value e = bg.As<Napi::Array>().Get(i);
        if (!e.IsNumber() || !std::isfinite(e.As<Napi::Number>().DoubleValue())) ok = false;
        else s.background[i] = e.As<Napi::Number>().FloatValue();
      }
    }
    if (!ok) throw Napi::TypeError::New(env, "background must be [r, g, b] finite numbers");
  }
  const Napi::Value deg = o.Get("shDegree");
  if (!deg.IsUndefined()) {
    if (!deg.IsNumber()) throw Napi::TypeError::New(env, "shDegree must be a number");
    s.shDegree = deg.As<Napi::Number>().Int32Value();
    if (s.shDegree < 0 || s.shDegree > 3) throw Napi::RangeError::New(env, "shDegree must be 0..3");
  }
  const Napi::Value depth = o.Get("withDepth");
  if (!depth.IsUndefined()) s.withDepth = depth.ToBoolean().Value();
  const Napi::Value threads = o.Get("threads");
  if (!threads.IsUndefined()) {
    if (!threads.IsNumber()) throw Napi::TypeError::New(env, "threads must be a number");
    s.threads = threads.As<Napi::Number>().Int32Value();
    if (s.threads < 0 || s.threads > 256) throw Napi::RangeError::New(env, "threads must be 0..256 (0 = all cores)");
  }
  return s;
}

Napi::Float32Array toFloat32Array(const Napi::Env& env, const std::vector<float>& data) {
  auto arr = Napi::Float32Array::New(env, data.size());
  if (!data.empty()) std::copy(data.begin(), data.end(), arr.Data());
  return arr;
}

}  // namespace hfnapi
