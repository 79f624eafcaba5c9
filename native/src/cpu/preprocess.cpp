// Per-Gaussian projection (EWA splatting) and its exact backward. Everything here is computed in
// double and stored as float: it is O(N), cheap next to the per-pixel work, and keeps the CPU backend
// close to the double-precision TypeScript reference.
#include <algorithm>
#include <cmath>

#include "blend_record.h"
#include "cpu_internal.h"
#include "headforge/parallel.h"
#include "sh.h"

namespace hf {
namespace {

// Intermediates of one Gaussian in one view.
struct Geometry {
  double t[3];        // camera-space mean
  double qn[4];       // normalised quaternion w x y z
  double qlen;        // |q| before normalisation
  double Rq[9];       // rotation of the quaternion, row-major
  double s[3];        // linear scales
  double Sigma[9];    // 3D covariance Rq diag(s^2) Rq^T
  double T[6];        // J W, 2x3 row-major
  double u, v;        // x/z and y/z after the Jacobian clamp
  bool clampU, clampV;
  double cov[3];      // 2D covariance A B C (with low-pass)
  double det;
  double conic[3];
  double mean[2];     // pixel coordinates
};

bool computeGeometry(const CloudView& cloud, int64_t i, const Camera& cam, Geometry& g) {
  const float* p = cloud.positions + i * 3;
  const double* W = cam.R;
  for (int r = 0; r < 3; r++) g.t[r] = W[r * 3] * p[0] + W[r * 3 + 1] * p[1] + W[r * 3 + 2] * p[2] + cam.t[r];
  const double tz = g.t[2];
  if (!(tz > cam.near) || tz > cam.far) return false;

  const float* q = cloud.rotations + i * 4;
  g.qlen = std::sqrt(double(q[0]) * q[0] + double(q[1]) * q[1] + double(q[2]) * q[2] + double(q[3]) * q[3]);
  if (!(g.qlen > 1e-12)) return false;
  const double invQlen = 1 / g.qlen;
  for (int k = 0; k < 4; k++) g.qn[k] = q[k] * invQlen;
  const double w = g.qn[0], x = g.qn[1], y = g.qn[2], z = g.qn[3];
  const double Rq[9] = {1 - 2 * (y * y + z * z), 2 * (x * y - w * z),     2 * (x * z + w * y),
                        2 * (x * y + w * z),     1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
                        2 * (x * z - w * y),     2 * (y * z + w * x),     1 - 2 * (x * x + y * y)};
  for (int k = 0; k < 9; k++) g.Rq[k] = Rq[k];
  for (int k = 0; k < 3; k++) g.s[k] = std::exp(double(cloud.logScales[i * 3 + k]));
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
    for (int c = 0; c < 3; c++)
      g.T[r * 3 + c] = J[r * 3] * W[c] + J[r * 3 + 1] * W[3 + c] + J[r * 3 + 2] * W[6 + c];
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
  if (!(g.det > 0) || !std::isfinite(g.det)) return false;
  const double invDet = 1 / g.det;
  g.conic[0] = C * invDet;
  g.conic[1] = -B * invDet;
  g.conic[2] = A * invDet;
  g.mean[0] = cam.fx * g.t[0] * invTz + cam.cx;
  g.mean[1] = cam.fy * g.t[1] * invTz + cam.cy;
  return true;
}

void viewDirection(const CloudView& cloud, int64_t i, const double camPos[3], double dir[3], double* len) {
  const float* p = cloud.positions + i * 3;
  double v[3] = {p[0] - camPos[0], p[1] - camPos[1], p[2] - camPos[2]};
  double n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (!(n > 0)) n = 1;
  const double inv = 1 / n;
  for (int k = 0; k < 3; k++) dir[k] = v[k] * inv;
  if (len) *len = n;
}

}  // namespace

int activeDegree(const CloudView& cloud, const RenderSettings& settings) {
  int d = settings.shDegree < 0 ? 0 : settings.shDegree;
  return d < cloud.shDegree ? d : cloud.shDegree;
}

void preprocessForward(const CloudView& cloud, const Camera& cam, int degree, int threads, Preprocessed& pre) {
  const int64_t n = cloud.count;
  // Only radius is written for every Gaussian (0 = culled); the other fields are written for visible
  // Gaussians and read only for those, so the buffers are resized (kept from the last view), not cleared.
  pre.mean2d.resize(n * 2);
  pre.depth.resize(n);
  pre.conic.resize(n * 3);
  pre.opacity.resize(n);
  pre.color.resize(n * 3);
  pre.colorClamped.resize(n * 3);
  pre.radius.resize(n);
  pre.rect.resize(n * 4);
  pre.blend.resize(size_t(n) * kBlendStride);
  const int tilesX = (cam.width + kTileSize - 1) / kTileSize;
  const int tilesY = (cam.height + kTileSize - 1) / kTileSize;
  double camPos[3];
  cam.center(camPos);
  const int K = cloud.restCoeffs();
  parallelFor(threads, n, 4096, [&](int64_t begin, int64_t end) {
    Geometry g;
    for (int64_t i = begin; i < end; i++) {
      pre.radius[i] = 0;
      if (!computeGeometry(cloud, i, cam, g)) continue;
      const double mid = 0.5 * (g.cov[0] + g.cov[2]);
      const double lambda = mid + std::sqrt(std::max(0.1, mid * mid - g.det));
      const double r = std::ceil(3.0 * std::sqrt(lambda));
      // Touched tiles: the square [mean - r, mean + r] in pixel coordinates.
      const double x0 = std::floor((g.mean[0] - r) / kTileSize), x1 = std::floor((g.mean[0] + r) / kTileSize) + 1;
      const double y0 = std::floor((g.mean[1] - r) / kTileSize), y1 = std::floor((g.mean[1] + r) / kTileSize) + 1;
      const int rx0 = static_cast<int>(std::min<double>(tilesX, std::max(0.0, x0)));
      const int rx1 = static_cast<int>(std::min<double>(tilesX, std::max(0.0, x1)));
      const int ry0 = static_cast<int>(std::min<double>(tilesY, std::max(0.0, y0)));
      const int ry1 = static_cast<int>(std::min<double>(tilesY, std::max(0.0, y1)));
      if (rx0 >= rx1 || ry0 >= ry1) continue;
      pre.radius[i] = static_cast<int32_t>(std::min(r, 1e9));
      int32_t* rect = &pre.rect[i * 4];
      rect[0] = rx0;
      rect[1] = ry0;
      rect[2] = rx1;
      rect[3] = ry1;
      pre.mean2d[i * 2] = static_cast<float>(g.mean[0]);
      pre.mean2d[i * 2 + 1] = static_cast<float>(g.mean[1]);
      pre.depth[i] = static_cast<float>(g.t[2]);
      for (int k = 0; k < 3; k++) pre.conic[i * 3 + k] = static_cast<float>(g.conic[k]);
      pre.opacity[i] = static_cast<float>(1.0 / (1.0 + std::exp(-double(cloud.opacityLogits[i]))));
      double dir[3];
      viewDirection(cloud, i, camPos, dir, nullptr);
      evalSH(degree, dir, cloud.shDC + i * 3, cloud.shRest + i * K * 3, &pre.color[i * 3], &pre.colorClamped[i * 3]);
      makeBlendRecord(pre.mean2d[i * 2], pre.mean2d[i * 2 + 1], &pre.conic[i * 3], pre.opacity[i], &pre.color[i * 3],
                      pre.depth[i], &pre.blend[size_t(i) * kBlendStride]);
    }
  });
}

void preprocessBackward(const CloudView& cloud, const ForwardState& state, const std::vector<float>& grad2d,
                        int threads, CloudGrads& grads) {
  const Camera& cam = state.camera;
  const Preprocessed& pre = state.pre;
  const int K = cloud.restCoeffs();
  double camPos[3];
  cam.center(camPos);
  parallelFor(threads, cloud.count, 2048, [&](int64_t begin, int64_t end) {
    Geometry g;
    for (int64_t i = begin; i < end; i++) {
      // Every gradient slot of Gaussian i is written here (zero when it is culled), so the caller need
      // not clear the ~15 MB of gradients serially first.
      const float* g2 = &grad2d[i * kGrad2dStride];
      // A Gaussian that was never blended into a pixel (culled, or every pixel it touches stopped in
      // front of it: about half the head faces away from any camera) has an all-zero 2D gradient, and
      // every parameter gradient is a product with it: write the zeros without the projection and SH.
      bool blended = false;
      for (int k = 0; k < kGrad2dStride; k++) blended |= g2[k] != 0.f;
      if (pre.radius[i] <= 0 || !blended) {
        std::fill(grads.shDC.data() + i * 3, grads.shDC.data() + i * 3 + 3, 0.f);
        std::fill(grads.shRest.data() + i * K * 3, grads.shRest.data() + (i + 1) * K * 3, 0.f);
        std::fill(&grads.positions[i * 3], &grads.positions[i * 3] + 3, 0.f);
        std::fill(&grads.logScales[i * 3], &grads.logScales[i * 3] + 3, 0.f);
        std::fill(&grads.rotations[i * 4], &grads.rotations[i * 4] + 4, 0.f);
        grads.opacityLogits[i] = 0.f;
        grads.meanGrad2dNorm[i] = 0.f;
        grads.visible[i] = pre.radius[i] > 0;  // densification counts views where it touched a tile
        grads.radii[i] = pre.radius[i] > 0 ? pre.radius[i] : 0;
        continue;
      }
      grads.visible[i] = 1;
      grads.radii[i] = pre.radius[i];
      computeGeometry(cloud, i, cam, g);
      double dLdP[3] = {0, 0, 0};  // world position

      // Colour (SH) -> dc, rest, and the view direction (which depends on the position).
      double dLdRgb[3];
      for (int c = 0; c < 3; c++) dLdRgb[c] = pre.colorClamped[i * 3 + c] ? 0.0 : double(g2[6 + c]);
      double dir[3], len, dLdDir[3];
      viewDirection(cloud, i, camPos, dir, &len);
      backwardSH(state.activeDegree, dir, cloud.shRest + i * K * 3, dLdRgb, grads.shDC.data() + i * 3,
                 grads.shRest.data() + i * K * 3, dLdDir);
      // Coefficients above the active degree get no gradient (backwardSH writes only the active ones).
      const int activeK = (state.activeDegree + 1) * (state.activeDegree + 1) - 1;
      std::fill(grads.shRest.data() + i * K * 3 + activeK * 3, grads.shRest.data() + (i + 1) * K * 3, 0.f);
      const double dd = dir[0] * dLdDir[0] + dir[1] * dLdDir[1] + dir[2] * dLdDir[2];
      const double invLen = 1 / len;
      for (int k = 0; k < 3; k++) dLdP[k] += (dLdDir[k] - dir[k] * dd) * invLen;

      // Opacity logit.
      const double o = pre.opacity[i];
      grads.opacityLogits[i] = static_cast<float>(g2[5] * o * (1 - o));

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
      for (int k = 0; k < 3; k++) grads.positions[i * 3 + k] = static_cast<float>(dLdP[k]);
      grads.meanGrad2dNorm[i] =
          static_cast<float>(std::hypot(gmx * cam.width * 0.5, gmy * cam.height * 0.5));

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
        grads.logScales[i * 3 + b] = static_cast<float>(ds * g.s[b]);
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
      for (int k = 0; k < 4; k++) grads.rotations[i * 4 + k] = static_cast<float>((dq[k] - g.qn[k] * qd) * invQlen);
    }
  });
}

}  // namespace hf
