// The C boundary between the main addon (built by g++ alone, links nothing CUDA) and
// libheadforge_cuda.so (built by nvcc when the toolkit is present). The addon dlopen()s the library at
// run time and resolves these three symbols; everything else crosses as the hf::Backend C++ interface,
// which is safe because both sides are compiled from the same headers with the same g++/libstdc++.
#pragma once
#include <cstddef>

#include "headforge/backend.h"

// Bumped whenever the meaning of the calls below or the hf::Backend interface changes (2: the opaque
// per-backend ForwardState and Backend::newForwardState); the size tag catches a library built against
// older versions of the shared structs (a stale build after a header change). hf::ForwardState is an
// interface, so its size says nothing: the host copy's (ForwardStateHost) stands in for it.
#define HF_CUDA_ABI_VERSION 2
#define HF_CUDA_ABI_TAG                                                                                              \
  ((unsigned long long)HF_CUDA_ABI_VERSION * 1000003ULL + sizeof(hf::ForwardStateHost) * 131ULL +                   \
   sizeof(hf::CloudGrads) * 17ULL + sizeof(hf::Camera) * 7ULL + sizeof(hf::RenderSettings) * 3ULL +                 \
   sizeof(hf::CloudView) + sizeof(hf::Preprocessed) * 5ULL + sizeof(hf::Binning) * 11ULL)

extern "C" {
// HF_CUDA_ABI_TAG as the library saw it when it was compiled.
typedef unsigned long long (*HfCudaAbiTagFn)();
// Number of usable CUDA devices (> 0), or <= 0 with a sentence in msg[0..len) saying why not (the CUDA
// error string when the runtime reports one). On success msg describes device 0.
typedef int (*HfCudaProbeFn)(char* msg, size_t len);
// A new backend on device 0 (delete it through hf::Backend's virtual destructor), or null with the
// reason in msg.
typedef hf::Backend* (*HfCudaCreateFn)(char* msg, size_t len);
}

#define HF_CUDA_ABI_TAG_SYMBOL "hf_cuda_abi_tag"
#define HF_CUDA_PROBE_SYMBOL "hf_cuda_probe"
#define HF_CUDA_CREATE_SYMBOL "hf_cuda_create_backend"
