// Backend selection for the main addon: the CPU backend, or the CUDA one from libheadforge_cuda.so,
// loaded with dlopen() so the addon itself builds with g++ alone and links nothing CUDA. Included by
// src/cpu/cpu_backend.cpp, whose createBestBackend() is just selectBackend().
//
// HEADFORGE_RASTER_BACKEND = auto (default): CUDA when the library loads and sees a device (reason: the
//   device), else CPU (reason: why not CUDA, e.g. "CUDA library not built", "no CUDA device (...)");
//   cpu: always CPU; cuda: CUDA or a std::runtime_error saying why not.
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
#include <stdexcept>
#include <string>

#include "abi.h"
#include "headforge/backend.h"

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
  std::unique_ptr<Backend> cuda = tryCuda(&why);
  if (cuda) {
    if (reason) *reason = why;
    return cuda;
  }
  if (pick == "cuda")
    throw std::runtime_error("HEADFORGE_RASTER_BACKEND=cuda but the CUDA backend is unavailable: " + why);
  if (reason) *reason = why;  // the backend name already says CPU; the reason says why not CUDA
  return makeCpu();
}

}  // namespace cudaload
}  // namespace hf
