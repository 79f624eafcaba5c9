// JS class Trainer: new Trainer(cloud, views, options); step(n) -> Promise<stats> on a libuv worker
// thread; getCloud(); getLineage() (Int32Array [count]: each Gaussian's row in the initial cloud);
// setCloud(cloud); cancel(); dispose(). Also rgbLoss(...) for the loss tests.
#include <atomic>
#include <cmath>
#include <memory>

#include "convert.h"
#include "headforge/loss.h"
#include "headforge/trainer.h"
#include "render_api.h"

namespace hfnapi {
namespace {

// Shared between the JS object and an in-flight step worker, so dispose() during a step is safe.
struct TrainerHandle {
  std::unique_ptr<hf::Trainer> trainer;
  std::atomic<bool> cancel{false};
  std::atomic<bool> busy{false};
};

double optNumber(const Napi::Object& o, const char* key, double fallback, double lo, double hi) {
  const Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string("trainer option ") + key + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d < lo || d > hi)
    throw Napi::RangeError::New(o.Env(), std::string("trainer option ") + key + " must be in [" + std::to_string(lo) +
                                             ", " + std::to_string(hi) + "], got " + std::to_string(d));
  return d;
}

hf::TrainerOptions readOptions(const Napi::Value& value) {
  hf::TrainerOptions t;
  if (value.IsUndefined() || value.IsNull()) return t;
  if (!value.IsObject()) throw Napi::TypeError::New(value.Env(), "trainer options must be an object");
  const Napi::Object o = value.As<Napi::Object>();
  const double inf = 1e30;
  t.seed = uint64_t(optNumber(o, "seed", double(t.seed), 0, 9007199254740991.0));
  t.threads = int(optNumber(o, "threads", t.threads, 0, 256));
  t.ssimWeight = float(optNumber(o, "ssimWeight", t.ssimWeight, 0, 1));
  t.alphaWeight = float(optNumber(o, "alphaWeight", t.alphaWeight, 0, 1e3));
  t.sceneExtent = float(optNumber(o, "sceneExtent", t.sceneExtent, 1e-6, 1e6));
  t.lrPositionInit = float(optNumber(o, "lrPositionInit", t.lrPositionInit, 0, 1));
  t.lrPositionFinal = float(optNumber(o, "lrPositionFinal", t.lrPositionFinal, 1e-12, 1));
  t.lrPositionSteps = int(optNumber(o, "lrPositionSteps", t.lrPositionSteps, 1, 1e9));
  t.lrScale = float(optNumber(o, "lrScale", t.lrScale, 0, 10));
  t.lrRotation = float(optNumber(o, "lrRotation", t.lrRotation, 0, 10));
  t.lrOpacity = float(optNumber(o, "lrOpacity", t.lrOpacity, 0, 10));
  t.lrShDC = float(optNumber(o, "lrShDC", t.lrShDC, 0, 10));
  t.lrShRest = float(optNumber(o, "lrShRest", t.lrShRest, 0, 10));
  t.densifyFrom = int(optNumber(o, "densifyFrom", t.densifyFrom, 0, 1e9));
  t.densifyUntil = int(optNumber(o, "densifyUntil", t.densifyUntil, 0, 1e9));
  t.densifyInterval = int(optNumber(o, "densifyInterval", t.densifyInterval, 0, 1e9));
  t.densifyGradThreshold = float(optNumber(o, "densifyGradThreshold", t.densifyGradThreshold, 0, inf));
  t.percentDense = float(optNumber(o, "percentDense", t.percentDense, 0, 1));
  t.maxCount = int64_t(optNumber(o, "maxCount", double(t.maxCount), 1, double(hf::kMaxGaussians)));
  t.pruneOpacity = float(optNumber(o, "pruneOpacity", t.pruneOpacity, 0, 1));
  t.pruneWorldScale = float(optNumber(o, "pruneWorldScale", t.pruneWorldScale, 0, inf));
  t.opacityResetInterval = int(optNumber(o, "opacityResetInterval", t.opacityResetInterval, 0, 1e9));
  t.shDegreeInterval = int(optNumber(o, "shDegreeInterval", t.shDegreeInterval, 0, 1e9));
  const Napi::Value rb = o.Get("randomBackground");
  if (!rb.IsUndefined()) t.randomBackground = rb.ToBoolean().Value();
  hf::RenderSettings s = readSettings(o.Env(), o);  // background
  for (int c = 0; c < 3; c++) t.background[c] = s.background[c];
  return t;
}

std::vector<hf::TrainView> readViews(const Napi::Value& value) {
  const Napi::Env env = value.Env();
  if (!value.IsArray()) throw Napi::TypeError::New(env, "views must be an array");
  const Napi::Array arr = value.As<Napi::Array>();
  std::vector<hf::TrainView> views;
  for (uint32_t i = 0; i < arr.Length(); i++) {
    const std::string at = "views[" + std::to_string(i) + "]";
    const Napi::Value v = arr.Get(i);
    if (!v.IsObject()) throw Napi::TypeError::New(env, at + " must be an object");
    const Napi::Object o = v.As<Napi::Object>();
    hf::TrainView tv;
    tv.camera = readCamera(o.Get("camera"));
    const size_t P = size_t(tv.camera.width) * tv.camera.height;
    const Napi::Value rgba = o.Get("rgba");
    if (!rgba.IsTypedArray()) throw Napi::TypeError::New(env, at + ".rgba must be a Uint8Array / Uint8ClampedArray");
    const auto type = rgba.As<Napi::TypedArray>().TypedArrayType();
    if (type != napi_uint8_array && type != napi_uint8_clamped_array)
      throw Napi::TypeError::New(env, at + ".rgba must be 8-bit RGBA");
    const Napi::TypedArray ta = rgba.As<Napi::TypedArray>();
    if (ta.ElementLength() != P * 4)
      throw Napi::RangeError::New(env, at + ".rgba has " + std::to_string(ta.ElementLength()) + " bytes, expected " +
                                           std::to_string(P * 4) + " for its camera size");
    const uint8_t* px = static_cast<const uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
    tv.rgb.resize(P * 3);
    tv.alpha.resize(P);
    for (size_t p = 0; p < P; p++) {
      for (int c = 0; c < 3; c++) tv.rgb[p * 3 + c] = px[p * 4 + c] / 255.f;
      tv.alpha[p] = px[p * 4 + 3] / 255.f;
    }
    const Napi::Value mask = o.Get("mask");
    if (!mask.IsUndefined() && !mask.IsNull()) {
      const float* m = float32Data(mask, (at + ".mask").c_str(), int64_t(P));
      for (size_t p = 0; p < P; p++) {
        if (!(m[p] >= 0 && m[p] <= 1)) throw Napi::RangeError::New(env, at + ".mask values must be in [0, 1]");
        tv.alpha[p] = m[p];
      }
    }
    views.push_back(std::move(tv));
  }
  return views;
}

Napi::Object statsToJs(const Napi::Env& env, const hf::TrainStats& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("step", double(s.step));
  o.Set("stepsRun", s.stepsRun);
  o.Set("loss", s.loss);
  o.Set("l1", s.l1);
  o.Set("ssim", s.ssim);
  o.Set("alphaLoss", s.alphaLoss);
  o.Set("mse", s.mse);
  o.Set("count", double(s.count));
  o.Set("activeShDegree", s.activeShDegree);
  o.Set("msPerStep", s.msPerStep);
  o.Set("cancelled", s.cancelled);
  o.Set("densified", double(s.densified));
  o.Set("pruned", double(s.pruned));
  return o;
}

class StepWorker : public Napi::AsyncWorker {
 public:
  StepWorker(Napi::Env env, std::shared_ptr<TrainerHandle> handle, int n)
      : Napi::AsyncWorker(env), handle_(std::move(handle)), n_(n), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      if (!handle_->trainer) throw std::runtime_error("trainer was disposed");
      stats_ = handle_->trainer->step(n_, handle_->cancel);
    } catch (const std::bad_alloc&) {
      SetError("out of memory while training");
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override {
    handle_->busy = false;
    handle_->cancel = false;
    deferred_.Resolve(statsToJs(Env(), stats_));
  }
  void OnError(const Napi::Error& e) override {
    handle_->busy = false;
    handle_->cancel = false;
    deferred_.Reject(e.Value());
  }

 private:
  std::shared_ptr<TrainerHandle> handle_;
  int n_;
  hf::TrainStats stats_;
  Napi::Promise::Deferred deferred_;
};

class TrainerWrap : public Napi::ObjectWrap<TrainerWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Trainer",
                       {InstanceMethod<&TrainerWrap::Step>("step"), InstanceMethod<&TrainerWrap::GetCloud>("getCloud"),
                        InstanceMethod<&TrainerWrap::GetLineage>("getLineage"),
                        InstanceMethod<&TrainerWrap::SetCloud>("setCloud"), InstanceMethod<&TrainerWrap::Cancel>("cancel"),
                        InstanceMethod<&TrainerWrap::Dispose>("dispose"), InstanceAccessor<&TrainerWrap::Busy>("busy"),
                        InstanceAccessor<&TrainerWrap::Backend>("backend")});
  }

  explicit TrainerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TrainerWrap>(info) {
    const Napi::Env env = info.Env();
    guarded(env, [&]() {
      OwnedCloud cloud = readCloud(info[0]);
      std::vector<hf::TrainView> views = readViews(info[1]);
      hf::TrainerOptions opts = readOptions(info[2]);
      handle_ = std::make_shared<TrainerHandle>();
      handle_->trainer = std::make_unique<hf::Trainer>(std::move(cloud), std::move(views), opts);
      return 0;
    });
  }

 private:
  hf::Trainer& live(const Napi::Env& env, bool allowBusy = false) {
    if (!handle_ || !handle_->trainer) throw Napi::Error::New(env, "trainer was disposed");
    if (!allowBusy && handle_->busy) throw Napi::Error::New(env, "trainer is busy: await the running step() first");
    return *handle_->trainer;
  }

  Napi::Value Step(const Napi::CallbackInfo& info) {
    const Napi::Env env = info.Env();
    return guarded(env, [&]() -> Napi::Value {
      live(env);
      if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "step(n): n must be a number");
      const double n = info[0].As<Napi::Number>().DoubleValue();
      if (!(n >= 0 && n <= 1e7) || n != std::floor(n)) throw Napi::RangeError::New(env, "step(n): n must be an integer in 0..1e7");
      handle_->busy = true;
      handle_->cancel = false;
      auto* worker = new StepWorker(env, handle_, int(n));
      Napi::Promise p = worker->promise();
      worker->Queue();
      return p;
    });
  }

  Napi::Value GetCloud(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value { return writeCloud(info.Env(), live(info.Env()).cloud()); });
  }

  Napi::Value GetLineage(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const std::vector<int32_t>& l = live(info.Env()).lineage();
      auto arr = Napi::Int32Array::New(info.Env(), l.size());
      std::copy(l.begin(), l.end(), arr.Data());
      return arr;
    });
  }

  Napi::Value SetCloud(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      hf::Trainer& t = live(info.Env());
      t.setCloud(readCloud(info[0]));
      return info.Env().Undefined();
    });
  }

  Napi::Value Cancel(const Napi::CallbackInfo& info) {
    if (handle_) handle_->cancel = true;
    return info.Env().Undefined();
  }

  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    if (handle_) {
      handle_->cancel = true;
      // A running worker keeps its own reference; the trainer is freed when the last one goes.
      if (!handle_->busy) handle_->trainer.reset();
      handle_.reset();
    }
    return info.Env().Undefined();
  }

  Napi::Value Busy(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), handle_ && handle_->busy);
  }
  Napi::Value Backend(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), handle_ && handle_->trainer ? handle_->trainer->backendName() : "disposed");
  }

  std::shared_ptr<TrainerHandle> handle_;
};

// rgbLoss(rendered Float32Array[H*W*3], target Float32Array[H*W*3], width, height, ssimWeight)
Napi::Value RgbLoss(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!info[2].IsNumber() || !info[3].IsNumber() || !info[4].IsNumber())
      throw Napi::TypeError::New(env, "rgbLoss(rendered, target, width, height, ssimWeight)");
    const int w = info[2].As<Napi::Number>().Int32Value(), h = info[3].As<Napi::Number>().Int32Value();
    if (w < 1 || h < 1) throw Napi::RangeError::New(env, "rgbLoss: width and height must be >= 1");
    const int64_t n = int64_t(w) * h * 3;
    const float* a = float32Data(info[0], "rendered", n);
    const float* b = float32Data(info[1], "target", n);
    std::vector<float> grad(static_cast<size_t>(n));
    const hf::LossParts p = hf::rgbLoss(a, b, w, h, info[4].As<Napi::Number>().FloatValue(), 0, grad.data());
    Napi::Object o = Napi::Object::New(env);
    o.Set("loss", p.loss);
    o.Set("l1", p.l1);
    o.Set("ssim", p.ssim);
    o.Set("grad", toFloat32Array(env, grad));
    return o;
  });
}

}  // namespace

void registerTrainerApi(Napi::Env env, Napi::Object exports) {
  exports.Set("Trainer", TrainerWrap::Define(env));
  exports.Set("rgbLoss", Napi::Function::New(env, RgbLoss, "rgbLoss"));
}

}  // namespace hfnapi
