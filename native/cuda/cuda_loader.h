// Backend selection for the main addon: the CPU backend, or the CUDA one from libheadforge_cuda.so,
// loaded with dlopen() so the addon itself builds with g++ alone and links nothing CUDA. Included by
// src/cpu/cpu_backend.cpp, whose createBestBackend() is just selectBackend().
//
// HEADFORGE_RASTER_BACKEND = auto (default): CUDA when the library loads, sees a device and passes the
//   start-up check against the CPU (self_check.h; reason: the device), else CPU (reason: why not CUDA,
//   e.g. "CUDA library not built", "no CUDA device (...)", "CUDA backend failed its start-up check ...");
//   cpu: always CPU; cuda: CUDA (a failed start-up check only warns in the reason) or a
//   std::runtime_error saying why not.
// HEADFORGE_CUDA_LIBRARY: path of the library (tests, or a build kept elsewhere); default: next to the
//   addon (native/build/Release/), then native/build-cuda/ (where scripts/build-cuda.mjs puts it:
//   node-gyp rebuild wipes native/build, so the CUDA build lives beside it, not inside).
#pragma once
#if !defined(_WIN32)
#include <dlfcn.h>
#include <sys/stat.h>
#endif

#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "abi.h"
#include "headforge/backend.h"
#include "self_check.h"

namespace hf {
namespace cudaload {

#if defined(_WIN32)
inline std::unique_ptr<Backend> tryCuda(std::string* why) {
  *why = "CUDA backend not available in Windows builds";
  return nullptr;
}
#else

inline bool fileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Directory of the binary holding this code (the addon), or "" when the loader cannot tell.
inline std::string selfDirectory() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&fileExists), &info) == 0 || !info.dli_fname) return "";
  const std::string path = info.dli_fname;
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// The library path to try, or "" with *why filled when none exists.
inline std::string libraryPath(std::string* why) {
  if (const char* env = std::getenv("HEADFORGE_CUDA_LIBRARY"); env && *env) {
    if (fileExists(env)) return env;
    *why = std::string("CUDA library not built (HEADFORGE_CUDA_LIBRARY=") + env + " does not exist)";
    return "";
  }
  const std::string dir = selfDirectory();
  for (const std::string& candidate : {dir + "/libheadforge_cuda.so", dir + "/../../build-cuda/libheadforge_cuda.so"})
    if (!dir.empty() && fileExists(candidate)) return candidate;
  *why = "CUDA library not built (no native/build-cuda/libheadforge_cuda.so: install the CUDA toolkit so nvcc is on "
         "PATH and run `node scripts/build-cuda.mjs`)";
  return "";
}

// A CUDA backend, or null with *why saying why not (one sentence a user can act on).
inline std::unique_ptr<Backend> tryCuda(std::string* why) {
  const std::string path = libraryPath(why);
  if (path.empty()) return nullptr;
  // Kept loaded for the life of the process: backends made from it may outlive any one call.
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* err = dlerror();
    *why = std::string("CUDA library failed to load: ") + (err ? err : path);
    return nullptr;
  }
  const auto tag = reinterpret_cast<HfCudaAbiTagFn>(dlsym(lib, HF_CUDA_ABI_TAG_SYMBOL));
  const auto create = reinterpret_cast<HfCudaCreateFn>(dlsym(lib, HF_CUDA_CREATE_SYMBOL));
  if (!tag || !create) {
    *why = "CUDA library " + path + " lacks the HeadForge entry points (not a HeadForge build?)";
    return nullptr;
  }
  if (tag() != HF_CUDA_ABI_TAG) {
    *why = "CUDA library " + path + " is stale (built against other headers): rerun `node scripts/build-cuda.mjs`";
    return nullptr;
  }
  char msg[512] = {0};
  Backend* backend = create(msg, sizeof msg);
  if (!backend) {
    *why = msg[0] ? msg : "CUDA backend could not start";
    return nullptr;
  }
  *why = msg;  // the device description
  return std::unique_ptr<Backend>(backend);
}
#endif

// The start-up self-check's outcome (self_check.h), computed once per process on the first CUDA backend
// made: it costs two small renders, and its answer does not change while the process lives.
struct CheckCache {
  std::mutex mutex;
  bool done = false;
  selfcheck::Outcome outcome;
};
inline CheckCache& checkCache() {
  static CheckCache cache;
  return cache;
}

// The cached outcome, running the check of `cuda` against a fresh CPU backend when none is cached yet.
inline selfcheck::Outcome checkOnce(Backend& cuda, std::unique_ptr<Backend> (*makeCpu)()) {
  CheckCache& cache = checkCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  if (!cache.done) {
    std::unique_ptr<Backend> cpu = makeCpu();
    cache.outcome = selfcheck::compareBackends(*cpu, cuda);
    cache.done = true;
  }
  return cache.outcome;
}

inline std::string autoFallbackReason(const selfcheck::Outcome& failed) {
  return "CUDA backend failed its start-up check against the CPU (" + failed.failure +
         "); using the CPU - please report this";
}

// auto: CUDA only when it loads, sees a device and passes the start-up check (selfcheck::compareBackends);
// a failed check falls back to the CPU with the mismatch in the reason (and later calls reuse that
// answer without loading CUDA again). cuda: the check runs too, but a failure only goes into the reason.
inline std::unique_ptr<Backend> selectBackend(std::unique_ptr<Backend> (*makeCpu)(), std::string* reason) {
  const char* env = std::getenv("HEADFORGE_RASTER_BACKEND");
  const std::string pick = env && *env ? env : "auto";
  std::string why;
  if (pick == "cpu") {
    why = "CPU requested (HEADFORGE_RASTER_BACKEND=cpu)";
    if (reason) *reason = why;
    return makeCpu();
  }
  if (pick != "auto" && pick != "cuda")
    throw std::invalid_argument("HEADFORGE_RASTER_BACKEND must be cpu, cuda or auto, got '" + pick + "'");
  if (pick == "auto") {
    CheckCache& cache = checkCache();
    std::lock_guard<std::mutex> lock(cache.mutex);
    if (cache.done && !cache.outcome.passed) {
      if (reason) *reason = autoFallbackReason(cache.outcome);
      return makeCpu();
    }
  }
  std::unique_ptr<Backend> cuda = tryCuda(&why);
  if (cuda) {
    const selfcheck::Outcome check = checkOnce(*cuda, makeCpu);
    if (check.passed) {
      if (reason) *reason = why;  // the device
      return cuda;
    }
    if (pick == "cuda") {
      if (reason)
        *reason = why + "; WARNING: it failed its start-up check against the CPU (" + check.failure +
                  "), results may be wrong - please report this";
      return cuda;
    }
    if (reason) *reason = autoFallbackReason(check);
    return makeCpu();
  }
  if (pick == "cuda")
    throw std::runtime_error("HEADFORGE_RASTER_BACKEND=cuda but the CUDA backend is unavailable: " + why);
  if (reason) *reason = why;  // the backend name already says CPU; the reason says why not CUDA
  return makeCpu();
}

}  // namespace cudaload
}  // namespace hf
