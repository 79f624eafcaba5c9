// The CPU backend's blending constants (src/cpu/cpu_internal.h), repeated so the kernels can also be
// compiled without the CPU headers (native/cuda/emulate); cuda_backend.cu static_asserts that they match.
#pragma once

namespace hfcuda {

constexpr int kTileSize = 16;
constexpr float kMinAlpha = 1.0f / 255.0f;  // contributions below this are skipped
constexpr float kMaxAlpha = 0.99f;          // alpha clamp
constexpr float kMinTransmittance = 1e-4f;  // a pixel stops before T would drop below this
constexpr double kLowPass = 0.3;            // px^2 added to the 2D covariance diagonal
constexpr double kJacobianClamp = 1.3;      // x/z, y/z clamped to 1.3 * tan(half fov) in the Jacobian
constexpr int kGrad2dStride = 9;            // per-Gaussian 2D gradient: mean x y, conic a b c, opacity, rgb

}  // namespace hfcuda
