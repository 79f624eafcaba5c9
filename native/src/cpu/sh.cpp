#include "sh.h"

namespace hf {
namespace {

constexpr double C0 = 0.28209479177387814;
constexpr double C1 = 0.4886025119029199;
constexpr double C2[5] = {1.0925484305920792, -1.0925484305920792, 0.31539156525252005, -1.0925484305920792,
                          0.5462742152960396};
constexpr double C3[7] = {-0.5900435899266435, 2.890611442640554, -0.4570457994644658, 0.3731763325901154,
                          -0.4570457994644658, 1.445305721320277, -0.5900435899266435};

int coeffCount(int degree) { return (degree + 1) * (degree + 1) - 1; }

// basis[k] for k < K (K = 3, 8 or 15: the non-DC functions of degrees 1..3 in 3DGS order) and, when
// grad != null, d basis_k / d dir for the same k. Only the requested degrees are evaluated.
void basis(const double d[3], int K, double y[15], double (*grad)[3]) {
  const double x = d[0], yy_ = d[1], z = d[2];
  const double xx = x * x, yy = yy_ * yy_, zz = z * z;
  const double xy = x * yy_, yz = yy_ * z, xz = x * z;
  if (K >= 3) {
    y[0] = -C1 * yy_;
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
    y[8] = C3[0] * yy_ * (3 * xx - yy);
    y[9] = C3[1] * xy * z;
    y[10] = C3[2] * yy_ * (4 * zz - xx - yy);
    y[11] = C3[3] * z * (2 * zz - 3 * xx - 3 * yy);
    y[12] = C3[4] * x * (4 * zz - xx - yy);
    y[13] = C3[5] * z * (xx - yy);
    y[14] = C3[6] * x * (xx - 3 * yy);
  }
  if (!grad) return;
  auto set = [&](int k, double gx, double gy, double gz) {
    grad[k][0] = gx;
    grad[k][1] = gy;
    grad[k][2] = gz;
  };
  if (K >= 3) {
    set(0, 0, -C1, 0);
    set(1, 0, 0, C1);
    set(2, -C1, 0, 0);
  }
  if (K >= 8) {
    set(3, C2[0] * yy_, C2[0] * x, 0);
    set(4, 0, C2[1] * z, C2[1] * yy_);
    set(5, -2 * C2[2] * x, -2 * C2[2] * yy_, 4 * C2[2] * z);
    set(6, C2[3] * z, 0, C2[3] * x);
    set(7, 2 * C2[4] * x, -2 * C2[4] * yy_, 0);
  }
  if (K >= 15) {
    set(8, 6 * C3[0] * xy, C3[0] * (3 * xx - 3 * yy), 0);
    set(9, C3[1] * yz, C3[1] * xz, C3[1] * xy);
    set(10, -2 * C3[2] * xy, C3[2] * (4 * zz - xx - 3 * yy), 8 * C3[2] * yz);
    set(11, -6 * C3[3] * xz, -6 * C3[3] * yz, C3[3] * (6 * zz - 3 * xx - 3 * yy));
    set(12, C3[4] * (4 * zz - 3 * xx - yy), -2 * C3[4] * xy, 8 * C3[4] * xz);
    set(13, 2 * C3[5] * xz, -2 * C3[5] * yz, C3[5] * (xx - yy));
    set(14, C3[6] * (3 * xx - 3 * yy), -6 * C3[6] * xy, 0);
  }
}

}  // namespace

void evalSH(int degree, const double dir[3], const float* dc, const float* rest, float rgb[3],
            unsigned char clamped[3]) {
  double y[15];
  const int K = coeffCount(degree);
  if (K > 0) basis(dir, K, y, nullptr);
  for (int c = 0; c < 3; c++) {
    double v = 0.5 + C0 * dc[c];
    for (int k = 0; k < K; k++) v += y[k] * rest[k * 3 + c];
    clamped[c] = v < 0 ? 1 : 0;
    rgb[c] = v < 0 ? 0.0f : static_cast<float>(v);
  }
}

void backwardSH(int degree, const double dir[3], const float* rest, const double dLdRgb[3], float* dLdDc,
                float* dLdRest, double dLdDir[3]) {
  for (int c = 0; c < 3; c++) dLdDc[c] = static_cast<float>(C0 * dLdRgb[c]);
  dLdDir[0] = dLdDir[1] = dLdDir[2] = 0;
  const int K = coeffCount(degree);
  if (K == 0) return;
  double y[15], g[15][3];
  basis(dir, K, y, g);
  for (int k = 0; k < K; k++) {
    double s = 0;  // dL/d basis_k = sum_c dL/drgb_c * rest_kc
    for (int c = 0; c < 3; c++) {
      dLdRest[k * 3 + c] = static_cast<float>(y[k] * dLdRgb[c]);
      s += dLdRgb[c] * rest[k * 3 + c];
    }
    for (int a = 0; a < 3; a++) dLdDir[a] += s * g[k][a];
  }
}

}  // namespace hf
