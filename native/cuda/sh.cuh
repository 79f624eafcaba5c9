// Spherical-harmonics colour on the device: a line-by-line port of src/cpu/sh.cpp (degrees 0..3, 3DGS
// constants and order, double precision) so CUDA and CPU colours agree to float rounding.
#pragma once

namespace hfcuda {

__device__ __forceinline__ int shCoeffCount(int degree) { return (degree + 1) * (degree + 1) - 1; }

// y[k] for k < K (3, 8 or 15 non-DC basis functions) and, when grad != null, d y_k / d dir.
__device__ inline void shBasis(const double d[3], int K, double y[15], double (*grad)[3]) {
  const double C1 = 0.4886025119029199;
  const double C2[5] = {1.0925484305920792, -1.0925484305920792, 0.31539156525252005, -1.0925484305920792,
                        0.5462742152960396};
  const double C3[7] = {-0.5900435899266435, 2.890611442640554, -0.4570457994644658, 0.3731763325901154,
                        -0.4570457994644658, 1.445305721320277, -0.5900435899266435};
  const double x = d[0], yv = d[1], z = d[2];
  const double xx = x * x, yy = yv * yv, zz = z * z;
  const double xy = x * yv, yz = yv * z, xz = x * z;
  if (K >= 3) {
    y[0] = -C1 * yv;
    y[1] = C1 * z;
    y[2] = -C1 * x;
  }
  if (K >= 8) {
    y[3] = C2[0] * xy;
    y[4] = C2[1] * yz;
    y[5] = C2[2] * (2 * zz - xx - yy);
    y[6] = C2[3] * xz;
    y[7] = C2[4] * (xx - yy);
  }
  if (K >= 15) {
    y[8] = C3[0] * yv * (3 * xx - yy);
    y[9] = C3[1] * xy * z;
    y[10] = C3[2] * yv * (4 * zz - xx - yy);
    y[11] = C3[3] * z * (2 * zz - 3 * xx - 3 * yy);
    y[12] = C3[4] * x * (4 * zz - xx - yy);
    y[13] = C3[5] * z * (xx - yy);
    y[14] = C3[6] * x * (xx - 3 * yy);
  }
  if (!grad) return;
#define HF_SET(k, gx, gy, gz) (grad[k][0] = (gx), grad[k][1] = (gy), grad[k][2] = (gz))
  if (K >= 3) {
    HF_SET(0, 0, -C1, 0);
    HF_SET(1, 0, 0, C1);
    HF_SET(2, -C1, 0, 0);
  }
  if (K >= 8) {
    HF_SET(3, C2[0] * yv, C2[0] * x, 0);
    HF_SET(4, 0, C2[1] * z, C2[1] * yv);
    HF_SET(5, -2 * C2[2] * x, -2 * C2[2] * yv, 4 * C2[2] * z);
    HF_SET(6, C2[3] * z, 0, C2[3] * x);
    HF_SET(7, 2 * C2[4] * x, -2 * C2[4] * yv, 0);
  }
  if (K >= 15) {
    HF_SET(8, 6 * C3[0] * xy, C3[0] * (3 * xx - 3 * yy), 0);
    HF_SET(9, C3[1] * yz, C3[1] * xz, C3[1] * xy);
    HF_SET(10, -2 * C3[2] * xy, C3[2] * (4 * zz - xx - 3 * yy), 8 * C3[2] * yz);
    HF_SET(11, -6 * C3[3] * xz, -6 * C3[3] * yz, C3[3] * (6 * zz - 3 * xx - 3 * yy));
    HF_SET(12, C3[4] * (4 * zz - 3 * xx - yy), -2 * C3[4] * xy, 8 * C3[4] * xz);
    HF_SET(13, 2 * C3[5] * xz, -2 * C3[5] * yz, C3[5] * (xx - yy));
    HF_SET(14, C3[6] * (3 * xx - 3 * yy), -6 * C3[6] * xy, 0);
  }
#undef HF_SET
}

constexpr double kShC0 = 0.28209479177387814;

// colour = max(0, 0.5 + C0 dc + sum_k y_k rest_k); clamped[c] = 1 where the max chose 0.
__device__ inline void shEval(int degree, const double dir[3], const float* dc, const float* rest, float rgb[3],
                              unsigned char clamped[3]) {
  double y[15];
  const int K = shCoeffCount(degree);
  if (K > 0) shBasis(dir, K, y, nullptr);
  for (int c = 0; c < 3; c++) {
    double v = 0.5 + kShC0 * dc[c];
    for (int k = 0; k < K; k++) v += y[k] * rest[k * 3 + c];
    clamped[c] = v < 0 ? 1 : 0;
    rgb[c] = v < 0 ? 0.0f : static_cast<float>(v);
  }
}

// dLdRgb already zeroed where clamped. Writes dL/d dc [3], dL/d rest [k*3+c] for k < K(degree) and
// dL/d dir [3].
__device__ inline void shBackward(int degree, const double dir[3], const float* rest, const double dLdRgb[3],
                                  float* dLdDc, float* dLdRest, double dLdDir[3]) {
  for (int c = 0; c < 3; c++) dLdDc[c] = static_cast<float>(kShC0 * dLdRgb[c]);
  dLdDir[0] = dLdDir[1] = dLdDir[2] = 0;
  const int K = shCoeffCount(degree);
  if (K == 0) return;
  double y[15], g[15][3];
  shBasis(dir, K, y, g);
  for (int k = 0; k < K; k++) {
    double s = 0;
    for (int c = 0; c < 3; c++) {
      dLdRest[k * 3 + c] = static_cast<float>(y[k] * dLdRgb[c]);
      s += dLdRgb[c] * rest[k * 3 + c];
    }
    for (int a = 0; a < 3; a++) dLdDir[a] += s * g[k][a];
  }
}

}  // namespace hfcuda
