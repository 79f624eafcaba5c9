// The constants the kernels share with the CPU backend, from the one header both compile
// (headforge/gaussian_math.h), named in the kernels' namespace. Included by relative path so the kernels
// also compile without include flags (native/cuda/emulate).
#pragma once
#include "../include/headforge/gaussian_math.h"

namespace hfcuda {

using hf::kGrad2dStride;
using hf::kMaxAlpha;
using hf::kMinAlpha;
using hf::kMinTransmittance;
using hf::kTileSize;

}  // namespace hfcuda
