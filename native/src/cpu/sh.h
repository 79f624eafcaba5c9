// Real spherical harmonics colour, degrees 0..3, with the basis constants and sign conventions of 3DGS
// (Kerbl et al. 2023). colour = max(0, 0.5 + SH_C0*dc + sum_k Y_k(dir) * rest_k).
#pragma once

namespace hf {

// dir: unit view direction (Gaussian mean - camera centre). dc [3], rest [k*3 + c] for k < 15.
// Writes rgb [3] (clamped) and clamped [3] (1 when 0.5 + sum < 0).
void evalSH(int degree, const double dir[3], const float* dc, const float* rest, float rgb[3],
            unsigned char clamped[3]);

// dLdRgb [3] (already zeroed where clamped). Writes dL/d dc [3], dL/d rest [k*3+c] for the active
// coefficients k < (degree+1)^2 - 1 (the caller clears the rest) and dL/d dir [3].
void backwardSH(int degree, const double dir[3], const float* rest, const double dLdRgb[3], float* dLdDc,
                float* dLdRest, double dLdDir[3]);

}  // namespace hf
