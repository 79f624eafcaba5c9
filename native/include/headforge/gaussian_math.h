// Per-Gaussian maths every backend shares, written once: the EWA projection of a 3D Gaussian to the
// screen (mean, 2D covariance, conic, 3-sigma radius, touched tiles), spherical-harmonics colour, and the
// exact backward of both. g++ compiles it into the CPU backend (src/cpu/preprocess.cpp); nvcc compiles the
// same functions as __host__ __device__ into the CUDA kernels (native/cuda/preprocess.cuh), so the two
// backends agree to float rounding by construction. Everything is computed in double and stored as float:
// it is O(N) work, cheap next to the per-pixel blending.
//
// Only plain C maths (<math.h>'s global double functions, usable on host and device) and no std:: calls.
#pragma once
#include <float.h>
#include <math.h>
#include <stdint.h>

#if defined(__CUDACC__)
#define HF_HD __host__ __device__ inline
#else
#define HF_HD inline
#endif

namespace hf {

// Constants every backend must agree on.
constexpr int kTileSize = 16;               // screen tiles are kTileSize x kTileSize pixels
constexpr float kMinAlpha = 1.0f / 255.0f;  // contributions below this are skipped
constexpr float kMaxAlpha = 0.99f;          // alpha clamp (keeps 1 - alpha invertible in backward)
constexpr float kMinTransmittance = 1e-4f;  // stop blending once T would drop below this
constexpr double kLowPass = 0.3;            // px^2 added to the 2D covariance diagonal
constexpr double kJacobianClamp = 1.3;      // x/z, y/z clamped to 1.3 * tan(half fov) in the Jacobian
// Per-Gaussian 2D gradients for one view, [N*9]: mean2d x y, conic a b c, opacity, colour r g b.
constexpr int kGrad2dStride = 9;

namespace gm {

// ---- Spherical harmonics, degrees 0..3, basis constants and sign conventions of 3DGS (Kerbl et al.
// 2023): colour = max(0, 0.5 + SH_C0 * dc + sum_k Y_k(dir) * rest_k).

constexpr double kShC0 = 0.28209479177387814;

HF_HD int shCoeffCount(int degree) { return (degree + 1) * (degree + 1) - 1; }

// The SH degree a render uses: the one asked for (negative = 0), at most the cloud's.
HF_HD int activeShDegree(int requested, int cloudDegree) {
  const int d = requested < 0 ? 0 : requested;
  return d < cloudDegree ? d : cloudDegree;
}

HF_HD void set3(double out[3], double x, double y, double z) {
  out[0] = x;
  out[1] = y;
  out[2] = z;
}

// y[k] for k < K (K = 3, 8 or 15: the non-DC functions of degrees 1..3 in 3DGS order) and, when
// grad != null, d y_k / d dir for the same k. Only the requested degrees are evaluated.
HF_HD void shBasis(const double d[3], int K, double y[15], double (*grad)[3]) {
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
  if (K >= 3) {
    set3(grad[0], 0, -C1, 0);
    set3(grad[1], 0, 0, C1);
    set3(grad[2], -C1, 0, 0);
  }
  if (K >= 8) {
    set3(grad[3], C2[0] * yv, C2[0] * x, 0);
    set3(grad[4], 0, C2[1] * z, C2[1] * yv);
    set3(grad[5], -2 * C2[2] * x, -2 * C2[2] * yv, 4 * C2[2] * z);
    set3(grad[6], C2[3] * z, 0, C2[3] * x);
    set3(grad[7], 2 * C2[4] * x, -2 * C2[4] * yv, 0);
  }
  if (K >= 15) {
    set3(grad[8], 6 * C3[0] * xy, C3[0] * (3 * xx - 3 * yy), 0);
    set3(grad[9], C3[1] * yz, C3[1] * xz, C3[1] * xy);
    set3(grad[10], -2 * C3[2] * xy, C3[2] * (4 * zz - xx - 3 * yy), 8 * C3[2] * yz);
    set3(grad[11], -6 * C3[3] * xz, -6 * C3[3] * yz, C3[3] * (6 * zz - 3 * xx - 3 * yy));
    set3(grad[12], C3[4] * (4 * zz - 3 * xx - yy), -2 * C3[4] * xy, 8 * C3[4] * xz);
    set3(grad[13], 2 * C3[5] * xz, -2 * C3[5] * yz, C3[5] * (xx - yy));
    set3(grad[14], C3[6] * (3 * xx - 3 * yy), -6 * C3[6] * xy, 0);
  }
}

// dir: unit view direction (Gaussian mean - camera centre). dc [3], rest [k*3 + c] for k < 15.
// Writes rgb [3] (clamped at 0) and clamped [3] (1 where 0.5 + sum < 0).
HF_HD void shEval(int degree, const double dir[3], const float* dc, const float* rest, float rgb[3],
                  uint8_t clamped[3]) {
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

// dLdRgb [3] (already zeroed where clamped). Writes dL/d dc [3], dL/d rest [k*3+c] for the active
// coefficients k < shCoeffCount(degree) (the caller clears the rest) and dL/d dir [3].
HF_HD void shBackward(int degree, const double dir[3], const float* rest, const double dLdRgb[3], float* dLdDc,
                      float* dLdRest, double dLdDir[3]) {
  for (int c = 0; c < 3; c++) dLdDc[c] = static_cast<float>(kShC0 * dLdRgb[c]);
  dLdDir[0] = dLdDir[1] = dLdDir[2] = 0;
  const int K = shCoeffCount(degree);
  if (K == 0) return;
  double y[15], g[15][3];
  shBasis(dir, K, y, g);
  for (int k = 0; k < K; k++) {
    double s = 0;  // dL/d basis_k = sum_c dL/drgb_c * rest_kc
    for (int c = 0; c < 3; c++) {
      dLdRest[k * 3 + c] = static_cast<float>(y[k] * dLdRgb[c]);
      s += dLdRgb[c] * rest[k * 3 + c];
    }
    for (int a = 0; a < 3; a++) dLdDir[a] += s * g[k][a];
  }
}

// ---- Projection. `Cam` is any type with the fields of hf::Camera (width, height, fx, fy, cx, cy, near,
// far, R [9] world -> camera row-major, t [3]): hf::Camera on the host, the kernels' plain-data copy on
// the device.

// Intermediates of one Gaussian in one view.
struct Geometry {
  double t[3];      // camera-space mean
  double qn[4];     // normalised quaternion w x y z
  double qlen;      // |q| before normalisation
  double Rq[9];     // rotation of the quaternion, row-major
  double s[3];      // linear scales
  double Sigma[9];  // 3D covariance Rq diag(s^2) Rq^T
  double T[6];      // J W, 2x3 row-major
  double u, v;      // x/z and y/z after the Jacobian clamp
  bool clampU, clampV;
  double cov[3];  // 2D covariance A B C (with low-pass)
  double det;
  double conic[3];
  double mean[2];  // pixel coordinates
};

// p [3] position, q [4] rotation (w x y z, unnormalised), logScale [3]. False when the Gaussian is culled
// (outside near..far, degenerate rotation or covariance).
template <class Cam>
HF_HD bool computeGeometry(const float* p, const float* q, const float* logScale, const Cam& cam, Geometry& g) {
  const double* W = cam.R;
  for (int r = 0; r < 3; r++) g.t[r] = W[r * 3] * p[0] + W[r * 3 + 1] * p[1] + W[r * 3 + 2] * p[2] + cam.t[r];
  const double tz = g.t[2];
  if (!(tz > cam.near) || tz > cam.far) return false;

  g.qlen = sqrt(double(q[0]) * q[0] + double(q[1]) * q[1] + double(q[2]) * q[2] + double(q[3]) * q[3]);
  if (!(g.qlen > 1e-12)) return false;
  const double invQlen = 1 / g.qlen;
  for (int k = 0; k < 4; k++) g.qn[k] = q[k] * invQlen;
  const double w = g.qn[0], x = g.qn[1], y = g.qn[2], z = g.qn[3];
  const double Rq[9] = {1 - 2 * (y * y + z * z), 2 * (x * y - w * z),     2 * (x * z + w * y),
                        2 * (x * y + w * z),     1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
                        2 * (x * z - w * y),     2 * (y * z + w * x),     1 - 2 * (x * x + y * y)};
  for (int k = 0; k < 9; k++) g.Rq[k] = Rq[k];
  for (int k = 0; k < 3; k++) g.s[k] = exp(double(logScale[k]));
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++) {
      double acc = 0;
      for (int k = 0; k < 3; k++) acc += Rq[a * 3 + k] * g.s[k] * g.s[k] * Rq[b * 3 + k];
      g.Sigma[a * 3 + b] = acc;
    }

  const double limX = kJacobianClamp * cam.width / (2 * cam.fx);
  const double limY = kJacobianClamp * cam.height / (2 * cam.fy);
  const double invTz = 1 / tz;  // reciprocals once: double divisions dominate this function's latency
  const double ux = g.t[0] * invTz, vy = g.t[1] * invTz;
  g.clampU = ux < -limX || ux > limX;
  g.clampV = vy < -limY || vy > limY;
  g.u = g.clampU ? (ux < 0 ? -limX : limX) : ux;
  g.v = g.clampV ? (vy < 0 ? -limY : limY) : vy;
  const double J[6] = {cam.fx * invTz, 0, -cam.fx * g.u * invTz, 0, cam.fy * invTz, -cam.fy * g.v * invTz};
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 3; c++) g.T[r * 3 + c] = J[r * 3] * W[c] + J[r * 3 + 1] * W[3 + c] + J[r * 3 + 2] * W[6 + c];
  double TS[6];  // T Sigma
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 3; c++)
      TS[r * 3 + c] = g.T[r * 3] * g.Sigma[c] + g.T[r * 3 + 1] * g.Sigma[3 + c] + g.T[r * 3 + 2] * g.Sigma[6 + c];
  const double A = TS[0] * g.T[0] + TS[1] * g.T[1] + TS[2] * g.T[2] + kLowPass;
  const double B = TS[0] * g.T[3] + TS[1] * g.T[4] + TS[2] * g.T[5];
  const double C = TS[3] * g.T[3] + TS[4] * g.T[4] + TS[5] * g.T[5] + kLowPass;
  g.cov[0] = A;
  g.cov[1] = B;
  g.cov[2] = C;
  g.det = A * C - B * B;
  if (!(g.det > 0 && g.det <= DBL_MAX)) return false;  // also false for NaN and +inf
  const double invDet = 1 / g.det;
  g.conic[0] = C * invDet;
  g.conic[1] = -B * invDet;
  g.conic[2] = A * invDet;
  g.mean[0] = cam.fx * g.t[0] * invTz + cam.cx;
  g.mean[1] = cam.fy * g.t[1] * invTz + cam.cy;
  return true;
}

// Unit direction from the camera centre to position p [3]; *len (when non-null) the distance.
HF_HD void viewDirection(const float* p, const double centre[3], double dir[3], double* len) {
  const double v[3] = {p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]};
  double n = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (!(n > 0)) n = 1;
  const double inv = 1 / n;
  for (int k = 0; k < 3; k++) dir[k] = v[k] * inv;
  if (len) *len = n;
}

// 3-sigma radius (px) of the 2D covariance and the tiles the square [mean - r, mean + r] touches:
// rect [4] = x0 y0 x1 y1 (x1, y1 exclusive), clamped to the tilesX x tilesY grid. False when no tile.
HF_HD bool screenExtent(const Geometry& g, int tilesX, int tilesY, int32_t* radius, int32_t rect[4]) {
  const double mid = 0.5 * (g.cov[0] + g.cov[2]);
  const double lambda = mid + sqrt(fmax(0.1, mid * mid - g.det));
  const double r = ceil(3.0 * sqrt(lambda));
  const double x0 = floor((g.mean[0] - r) / kTileSize), x1 = floor((g.mean[0] + r) / kTileSize) + 1;
  const double y0 = floor((g.mean[1] - r) / kTileSize), y1 = floor((g.mean[1] + r) / kTileSize) + 1;
  const int rx0 = int(fmin(double(tilesX), fmax(0.0, x0)));
  const int rx1 = int(fmin(double(tilesX), fmax(0.0, x1)));
  const int ry0 = int(fmin(double(tilesY), fmax(0.0, y0)));
  const int ry1 = int(fmin(double(tilesY), fmax(0.0, y1)));
  if (rx0 >= rx1 || ry0 >= ry1) return false;
  *radius = int32_t(fmin(r, 1e9));
  rect[0] = rx0;
  rect[1] = ry0;
  rect[2] = rx1;
  rect[3] = ry1;
  return true;
}

HF_HD float sigmoidOpacity(float logit) { return float(1.0 / (1.0 + exp(-double(logit)))); }

// ---- Backward of one Gaussian: its 2D gradient g2 [kGrad2dStride] -> every parameter gradient.

// Where one Gaussian's gradients go (layouts as hf::CloudGrads, already offset to the Gaussian):
// position [3], logScale [3], rotation [4], opacityLogit [1], shDC [3], shRest [K*3], meanGrad2dNorm [1].
struct GaussianGrads {
  float *position, *logScale, *rotation, *opacityLogit, *shDC, *shRest, *meanGrad2dNorm;
};

// All zero: a Gaussian that was culled or never blended into a pixel.
HF_HD void zeroGaussianGrads(const GaussianGrads& out, int K) {
  for (int k = 0; k < 3; k++) out.position[k] = out.logScale[k] = out.shDC[k] = 0.f;
  for (int k = 0; k < 4; k++) out.rotation[k] = 0.f;
  for (int k = 0; k < K * 3; k++) out.shRest[k] = 0.f;
  *out.opacityLogit = 0.f;
  *out.meanGrad2dNorm = 0.f;
}

// The exact backward of computeGeometry, sigmoidOpacity and shEval for one visible Gaussian. p, q,
// logScale, rest: its stored parameters (rest [K*3]); centre: camera centre; opacity and clamped [3]:
// what the forward pass stored; degree: the active SH degree (coefficients above it get no gradient).
template <class Cam>
HF_HD void backwardGaussian(const Cam& cam, const double centre[3], const float* p, const float* q,
                            const float* logScale, const float* rest, int K, int degree, float opacity,
                            const uint8_t clamped[3], const float g2[kGrad2dStride], const GaussianGrads& out) {
  Geometry g;
  computeGeometry(p, q, logScale, cam, g);
  double dLdP[3] = {0, 0, 0};  // world position

  // Colour (SH) -> dc, rest, and the view direction (which depends on the position).
  double dLdRgb[3];
  for (int c = 0; c < 3; c++) dLdRgb[c] = clamped[c] ? 0.0 : double(g2[6 + c]);
  double dir[3], len, dLdDir[3];
  viewDirection(p, centre, dir, &len);
  shBackward(degree, dir, rest, dLdRgb, out.shDC, out.shRest, dLdDir);
  for (int k = shCoeffCount(degree) * 3; k < K * 3; k++) out.shRest[k] = 0.f;
  const double dd = dir[0] * dLdDir[0] + dir[1] * dLdDir[1] + dir[2] * dLdDir[2];
  const double invLen = 1 / len;
  for (int k = 0; k < 3; k++) dLdP[k] += (dLdDir[k] - dir[k] * dd) * invLen;

  // Opacity logit.
  const double o = opacity;
  *out.opacityLogit = float(g2[5] * o * (1 - o));

  // Conic -> 2D covariance (A, B, C); gB is dL/d conic_b as it appears in the exponent.
  const double A = g.cov[0], B = g.cov[1], C = g.cov[2], D2 = g.det * g.det;
  const double gA = g2[2], gB = g2[3], gC = g2[4];
  const double invD2 = 1 / D2;
  const double dA = (-C * C * gA + B * C * gB - B * B * gC) * invD2;
  const double dB = (2 * B * C * gA - (g.det + 2 * B * B) * gB + 2 * A * B * gC) * invD2;
  const double dC = (-B * B * gA + A * B * gB - A * A * gC) * invD2;
  const double G2[4] = {dA, dB / 2, dB / 2, dC};  // symmetric 2x2 gradient of the covariance

  // cov2d = T Sigma T^T: dL/dSigma = T^T G2 T, dL/dT = 2 G2 T Sigma.
  double G2T[6];
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 3; c++) G2T[r * 3 + c] = G2[r * 2] * g.T[c] + G2[r * 2 + 1] * g.T[3 + c];
  double dSigma[9];
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++) dSigma[a * 3 + b] = g.T[a] * G2T[b] + g.T[3 + a] * G2T[3 + b];
  double dT[6];
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 3; c++)
      dT[r * 3 + c] = 2 * (G2T[r * 3] * g.Sigma[c] + G2T[r * 3 + 1] * g.Sigma[3 + c] + G2T[r * 3 + 2] * g.Sigma[6 + c]);

  // T = J W -> dL/dJ = dL/dT W^T -> camera-space mean.
  const double* W = cam.R;
  double dJ[6];
  for (int r = 0; r < 2; r++)
    for (int k = 0; k < 3; k++)
      dJ[r * 3 + k] = dT[r * 3] * W[k * 3] + dT[r * 3 + 1] * W[k * 3 + 1] + dT[r * 3 + 2] * W[k * 3 + 2];
  const double tx = g.t[0], ty = g.t[1], tz = g.t[2];
  const double invTz = 1 / tz, invTz2 = invTz * invTz;
  const double dudtx = g.clampU ? 0 : invTz, dudtz = g.clampU ? 0 : -tx * invTz2;
  const double dvdty = g.clampV ? 0 : invTz, dvdtz = g.clampV ? 0 : -ty * invTz2;
  double dLdT[3] = {0, 0, 0};
  dLdT[0] += dJ[2] * (-cam.fx * invTz) * dudtx;
  dLdT[1] += dJ[5] * (-cam.fy * invTz) * dvdty;
  dLdT[2] += dJ[0] * (-cam.fx * invTz2) + dJ[4] * (-cam.fy * invTz2) +
             dJ[2] * (cam.fx * g.u * invTz2 - cam.fx * invTz * dudtz) +
             dJ[5] * (cam.fy * g.v * invTz2 - cam.fy * invTz * dvdtz);
  // Mean projection.
  const double gmx = g2[0], gmy = g2[1];
  dLdT[0] += gmx * cam.fx * invTz;
  dLdT[1] += gmy * cam.fy * invTz;
  dLdT[2] += -gmx * cam.fx * tx * invTz2 - gmy * cam.fy * ty * invTz2;
  for (int k = 0; k < 3; k++) dLdP[k] += W[k] * dLdT[0] + W[3 + k] * dLdT[1] + W[6 + k] * dLdT[2];
  for (int k = 0; k < 3; k++) out.position[k] = float(dLdP[k]);
  *out.meanGrad2dNorm = float(hypot(gmx * cam.width * 0.5, gmy * cam.height * 0.5));

  // Sigma = M M^T with M = Rq diag(s): dL/dM = 2 dSigma M.
  double dM[9];
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++) {
      double acc = 0;
      for (int k = 0; k < 3; k++) acc += dSigma[a * 3 + k] * g.Rq[k * 3 + b] * g.s[b];
      dM[a * 3 + b] = 2 * acc;
    }
  double dR[9];
  for (int b = 0; b < 3; b++) {
    double ds = 0;
    for (int a = 0; a < 3; a++) {
      ds += dM[a * 3 + b] * g.Rq[a * 3 + b];
      dR[a * 3 + b] = dM[a * 3 + b] * g.s[b];
    }
    out.logScale[b] = float(ds * g.s[b]);
  }
  // Rq(qn) -> qn -> q (through the normalisation).
  const double w = g.qn[0], x = g.qn[1], y = g.qn[2], z = g.qn[3];
  double dq[4];
  dq[0] = 2 * (-z * dR[1] + y * dR[2] + z * dR[3] - x * dR[5] - y * dR[6] + x * dR[7]);
  dq[1] = 2 * (y * dR[1] + z * dR[2] + y * dR[3] - 2 * x * dR[4] - w * dR[5] + z * dR[6] + w * dR[7] - 2 * x * dR[8]);
  dq[2] = 2 * (-2 * y * dR[0] + x * dR[1] + w * dR[2] + x * dR[3] + z * dR[5] - w * dR[6] + z * dR[7] - 2 * y * dR[8]);
  dq[3] = 2 * (-2 * z * dR[0] - w * dR[1] + x * dR[2] + w * dR[3] - 2 * z * dR[4] + y * dR[5] + x * dR[6] + y * dR[7]);
  const double qd = w * dq[0] + x * dq[1] + y * dq[2] + z * dq[3];
  const double invQlen = 1 / g.qlen;
  for (int k = 0; k < 4; k++) out.rotation[k] = float((dq[k] - g.qn[k] * qd) * invQlen);
}

}  // namespace gm
}  // namespace hf
