// Per-Gaussian projection (EWA splatting) and its exact backward on the device: a port of
// src/cpu/preprocess.cpp, in double like the CPU (O(N) work, tiny next to blending) so the screen-space
// quantities match the CPU's to float rounding. One thread per Gaussian; every output slot of a Gaussian
// is written by its own thread, so both kernels are deterministic.
#pragma once
#include <cstdint>

#include "constants.cuh"
#include "sh.cuh"

namespace hfcuda {

// The camera as the kernels read it (hf::Camera has a host-only member; this is plain data).
struct DevCamera {
  int width, height;
  double fx, fy, cx, cy, near, far;
  double R[9], t[3];
  double centre[3];  // camera centre in world coordinates
};

// Device views of the cloud in the stored parameterisation (layouts as hf::CloudView).
struct DevCloud {
  int64_t count;
  int K;  // rest coefficients per colour channel in the buffers, (shDegree+1)^2 - 1
  const float *positions, *logScales, *rotations, *opacityLogits, *shDC, *shRest;
};

// Screen-space buffers of one view, layouts as hf::Preprocessed (N = count):
//   mean2d [N*2], depth [N], conic [N*3], opacity [N], color [N*3], clamped [N*3], radius [N], rect [N*4],
//   minPower [N] = log(kMinAlpha / opacity) or +inf (the per-pixel alpha >= 1/255 test as an exponent test),
//   touched [N] = tiles the Gaussian's rect covers (0 when culled).
struct DevPre {
  float *mean2d, *depth, *conic, *opacity, *color, *minPower;
  uint8_t* clamped;
  int32_t *radius, *rect;
  int64_t* touched;
};

struct Geometry {
  double t[3], qn[4], qlen, Rq[9], s[3], Sigma[9], T[6], u, v;
  bool clampU, clampV;
  double cov[3], det, conic[3], mean[2];
};

__device__ inline bool computeGeometry(const DevCloud& cloud, int64_t i, const DevCamera& cam, Geometry& g) {
  const float* p = cloud.positions + i * 3;
  const double* W = cam.R;
  for (int r = 0; r < 3; r++) g.t[r] = W[r * 3] * p[0] + W[r * 3 + 1] * p[1] + W[r * 3 + 2] * p[2] + cam.t[r];
  const double tz = g.t[2];
  if (!(tz > cam.near) || tz > cam.far) return false;
  const float* q = cloud.rotations + i * 4;
  g.qlen = sqrt(double(q[0]) * q[0] + double(q[1]) * q[1] + double(q[2]) * q[2] + double(q[3]) * q[3]);
  if (!(g.qlen > 1e-12)) return false;
  const double invQlen = 1 / g.qlen;
  for (int k = 0; k < 4; k++) g.qn[k] = q[k] * invQlen;
  const double w = g.qn[0], x = g.qn[1], y = g.qn[2], z = g.qn[3];
  const double Rq[9] = {1 - 2 * (y * y + z * z), 2 * (x * y - w * z),     2 * (x * z + w * y),
                        2 * (x * y + w * z),     1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
                        2 * (x * z - w * y),     2 * (y * z + w * x),     1 - 2 * (x * x + y * y)};
  for (int k = 0; k < 9; k++) g.Rq[k] = Rq[k];
  for (int k = 0; k < 3; k++) g.s[k] = exp(double(cloud.logScales[i * 3 + k]));
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++) {
      double acc = 0;
      for (int k = 0; k < 3; k++) acc += Rq[a * 3 + k] * g.s[k] * g.s[k] * Rq[b * 3 + k];
      g.Sigma[a * 3 + b] = acc;
    }
  const double limX = kJacobianClamp * cam.width / (2 * cam.fx);
  const double limY = kJacobianClamp * cam.height / (2 * cam.fy);
  const double invTz = 1 / tz;
  const double ux = g.t[0] * invTz, vy = g.t[1] * invTz;
  g.clampU = ux < -limX || ux > limX;
  g.clampV = vy < -limY || vy > limY;
  g.u = g.clampU ? (ux < 0 ? -limX : limX) : ux;
  g.v = g.clampV ? (vy < 0 ? -limY : limY) : vy;
  const double J[6] = {cam.fx * invTz, 0, -cam.fx * g.u * invTz, 0, cam.fy * invTz, -cam.fy * g.v * invTz};
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 3; c++) g.T[r * 3 + c] = J[r * 3] * W[c] + J[r * 3 + 1] * W[3 + c] + J[r * 3 + 2] * W[6 + c];
  double TS[6];
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
  if (!(g.det > 0) || !isfinite(g.det)) return false;
  const double invDet = 1 / g.det;
  g.conic[0] = C * invDet;
  g.conic[1] = -B * invDet;
  g.conic[2] = A * invDet;
  g.mean[0] = cam.fx * g.t[0] * invTz + cam.cx;
  g.mean[1] = cam.fy * g.t[1] * invTz + cam.cy;
  return true;
}

__device__ inline void viewDirection(const DevCloud& cloud, int64_t i, const DevCamera& cam, double dir[3], double* len) {
  const float* p = cloud.positions + i * 3;
  const double v[3] = {p[0] - cam.centre[0], p[1] - cam.centre[1], p[2] - cam.centre[2]};
  double n = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (!(n > 0)) n = 1;
  const double inv = 1 / n;
  for (int k = 0; k < 3; k++) dir[k] = v[k] * inv;
  if (len) *len = n;
}

// Same culling, 3-sigma radius and tile rectangle rules as preprocessForward (src/cpu/preprocess.cpp).
__global__ void preprocessForwardKernel(DevCloud cloud, DevCamera cam, int degree, int tilesX, int tilesY, DevPre pre) {
  const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= cloud.count) return;
  pre.radius[i] = 0;
  pre.touched[i] = 0;
  Geometry g;
  if (!computeGeometry(cloud, i, cam, g)) return;
  const double mid = 0.5 * (g.cov[0] + g.cov[2]);
  const double lambda = mid + sqrt(fmax(0.1, mid * mid - g.det));
  const double r = ceil(3.0 * sqrt(lambda));
  const double x0 = floor((g.mean[0] - r) / kTileSize), x1 = floor((g.mean[0] + r) / kTileSize) + 1;
  const double y0 = floor((g.mean[1] - r) / kTileSize), y1 = floor((g.mean[1] + r) / kTileSize) + 1;
  const int rx0 = int(fmin(double(tilesX), fmax(0.0, x0)));
  const int rx1 = int(fmin(double(tilesX), fmax(0.0, x1)));
  const int ry0 = int(fmin(double(tilesY), fmax(0.0, y0)));
  const int ry1 = int(fmin(double(tilesY), fmax(0.0, y1)));
  if (rx0 >= rx1 || ry0 >= ry1) return;
  pre.radius[i] = int32_t(fmin(r, 1e9));
  pre.touched[i] = int64_t(rx1 - rx0) * (ry1 - ry0);
  int32_t* rect = pre.rect + i * 4;
  rect[0] = rx0;
  rect[1] = ry0;
  rect[2] = rx1;
  rect[3] = ry1;
  pre.mean2d[i * 2] = float(g.mean[0]);
  pre.mean2d[i * 2 + 1] = float(g.mean[1]);
  pre.depth[i] = float(g.t[2]);
  for (int k = 0; k < 3; k++) pre.conic[i * 3 + k] = float(g.conic[k]);
  const float opacity = float(1.0 / (1.0 + exp(-double(cloud.opacityLogits[i]))));
  pre.opacity[i] = opacity;
  // As makeBlendRecord (src/cpu/blend_record.h): a float log of the float ratio.
  pre.minPower[i] = opacity > kMinAlpha ? logf(kMinAlpha / opacity) : __int_as_float(0x7f800000);
  double dir[3];
  viewDirection(cloud, i, cam, dir, nullptr);
  shEval(degree, dir, cloud.shDC + i * 3, cloud.shRest + i * cloud.K * 3, pre.color + i * 3, pre.clamped + i * 3);
}

// Parameter gradients in the stored parameterisation (layouts as hf::CloudGrads).
struct DevGrads {
  float *positions, *logScales, *rotations, *opacityLogits, *shDC, *shRest, *meanGrad2dNorm;
  uint8_t* visible;
  int32_t* radii;
};

// grad2d [N*9] (mean x y, conic a b c, opacity, colour r g b) -> every gradient of Gaussian i; a port of
// preprocessBackward (src/cpu/preprocess.cpp) that writes every slot.
__global__ void preprocessBackwardKernel(DevCloud cloud, DevCamera cam, int degree, const float* opacityArr,
                                         const uint8_t* clampedArr, const int32_t* radius, const float* grad2d,
                                         DevGrads grads) {
  const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= cloud.count) return;
  const int K = cloud.K;
  const float* g2 = grad2d + i * kGrad2dStride;
  bool blended = false;
  for (int k = 0; k < kGrad2dStride; k++) blended |= g2[k] != 0.f;
  float* shRestI = grads.shRest + i * K * 3;
  if (radius[i] <= 0 || !blended) {
    for (int k = 0; k < 3; k++) grads.shDC[i * 3 + k] = grads.positions[i * 3 + k] = grads.logScales[i * 3 + k] = 0.f;
    for (int k = 0; k < K * 3; k++) shRestI[k] = 0.f;
    for (int k = 0; k < 4; k++) grads.rotations[i * 4 + k] = 0.f;
    grads.opacityLogits[i] = 0.f;
    grads.meanGrad2dNorm[i] = 0.f;
    grads.visible[i] = radius[i] > 0;
    grads.radii[i] = radius[i] > 0 ? radius[i] : 0;
    return;
  }
  grads.visible[i] = 1;
  grads.radii[i] = radius[i];
  Geometry g;
  computeGeometry(cloud, i, cam, g);
  double dLdP[3] = {0, 0, 0};
  double dLdRgb[3];
  for (int c = 0; c < 3; c++) dLdRgb[c] = clampedArr[i * 3 + c] ? 0.0 : double(g2[6 + c]);
  double dir[3], len, dLdDir[3];
  viewDirection(cloud, i, cam, dir, &len);
  shBackward(degree, dir, cloud.shRest + i * K * 3, dLdRgb, grads.shDC + i * 3, shRestI, dLdDir);
  for (int k = shCoeffCount(degree) * 3; k < K * 3; k++) shRestI[k] = 0.f;  // inactive degrees: no gradient
  const double dd = dir[0] * dLdDir[0] + dir[1] * dLdDir[1] + dir[2] * dLdDir[2];
  const double invLen = 1 / len;
  for (int k = 0; k < 3; k++) dLdP[k] += (dLdDir[k] - dir[k] * dd) * invLen;

  const double o = opacityArr[i];
  grads.opacityLogits[i] = float(g2[5] * o * (1 - o));

  const double A = g.cov[0], B = g.cov[1], C = g.cov[2], D2 = g.det * g.det;
  const double gA = g2[2], gB = g2[3], gC = g2[4];
  const double invD2 = 1 / D2;
  const double dA = (-C * C * gA + B * C * gB - B * B * gC) * invD2;
  const double dB = (2 * B * C * gA - (g.det + 2 * B * B) * gB + 2 * A * B * gC) * invD2;
  const double dC = (-B * B * gA + A * B * gB - A * A * gC) * invD2;
  const double G2[4] = {dA, dB / 2, dB / 2, dC};
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
             dJ[2] * (cam.fx * g.u * invTz2 - cam.fx * invTz * dudtz) + dJ[5] * (cam.fy * g.v * invTz2 - cam.fy * invTz * dvdtz);
  const double gmx = g2[0], gmy = g2[1];
  dLdT[0] += gmx * cam.fx * invTz;
  dLdT[1] += gmy * cam.fy * invTz;
  dLdT[2] += -gmx * cam.fx * tx * invTz2 - gmy * cam.fy * ty * invTz2;
  for (int k = 0; k < 3; k++) dLdP[k] += W[k] * dLdT[0] + W[3 + k] * dLdT[1] + W[6 + k] * dLdT[2];
  for (int k = 0; k < 3; k++) grads.positions[i * 3 + k] = float(dLdP[k]);
  grads.meanGrad2dNorm[i] = float(hypot(gmx * cam.width * 0.5, gmy * cam.height * 0.5));

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
    grads.logScales[i * 3 + b] = float(ds * g.s[b]);
  }
  const double w = g.qn[0], x = g.qn[1], y = g.qn[2], z = g.qn[3];
  double dq[4];
  dq[0] = 2 * (-z * dR[1] + y * dR[2] + z * dR[3] - x * dR[5] - y * dR[6] + x * dR[7]);
  dq[1] = 2 * (y * dR[1] + z * dR[2] + y * dR[3] - 2 * x * dR[4] - w * dR[5] + z * dR[6] + w * dR[7] - 2 * x * dR[8]);
  dq[2] = 2 * (-2 * y * dR[0] + x * dR[1] + w * dR[2] + x * dR[3] + z * dR[5] - w * dR[6] + z * dR[7] - 2 * y * dR[8]);
  dq[3] = 2 * (-2 * z * dR[0] - w * dR[1] + x * dR[2] + w * dR[3] - 2 * z * dR[4] + y * dR[5] + x * dR[6] + y * dR[7]);
  const double qd = w * dq[0] + x * dq[1] + y * dq[2] + z * dq[3];
  const double invQlen = 1 / g.qlen;
  for (int k = 0; k < 4; k++) grads.rotations[i * 4 + k] = float((dq[k] - g.qn[k] * qd) * invQlen);
}

}  // namespace hfcuda
