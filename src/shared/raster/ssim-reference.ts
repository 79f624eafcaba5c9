/**
 * Reference of the trainer's photometric loss, direct (non-separable) and in double precision:
 *   loss = (1 - lambda) mean|x - y| + lambda (1 - mean SSIM)
 * SSIM per channel and pixel with an 11x11 Gaussian window (sigma 1.5) and zero padding outside the
 * image (as 3DGS's F.conv2d with padding 5), C1 = 0.01^2, C2 = 0.03^2. Images: [H*W*3] interleaved.
 */
export function referenceRgbLoss(x: ArrayLike<number>, y: ArrayLike<number>, W: number, H: number, lambda: number) {
  const R = 5;
  const g1 = Array.from({ length: 2 * R + 1 }, (_, i) => Math.exp(-((i - R) ** 2) / (2 * 1.5 * 1.5)));
  const s = g1.reduce((a, b) => a + b, 0);
  const w = g1.map((v) => v / s);
  const C1 = 0.01 ** 2;
  const C2 = 0.03 ** 2;
  let ssimSum = 0;
  let l1 = 0;
  for (let c = 0; c < 3; c++) {
    for (let py = 0; py < H; py++) {
      for (let px = 0; px < W; px++) {
        let mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
        for (let dy = -R; dy <= R; dy++) {
          for (let dx = -R; dx <= R; dx++) {
            const qx = px + dx;
            const qy = py + dy;
            if (qx < 0 || qy < 0 || qx >= W || qy >= H) continue;
            const k = w[dx + R] * w[dy + R];
            const a = x[(qy * W + qx) * 3 + c];
            const b = y[(qy * W + qx) * 3 + c];
            mx += k * a;
            my += k * b;
            exx += k * a * a;
            eyy += k * b * b;
            exy += k * a * b;
          }
        }
        const sxx = exx - mx * mx;
        const syy = eyy - my * my;
        const sxy = exy - mx * my;
        ssimSum += ((2 * mx * my + C1) * (2 * sxy + C2)) / ((mx * mx + my * my + C1) * (sxx + syy + C2));
        l1 += Math.abs(x[(py * W + px) * 3 + c] - y[(py * W + px) * 3 + c]);
      }
    }
  }
  const n = W * H * 3;
  const ssim = ssimSum / n;
  return { loss: (1 - lambda) * (l1 / n) + lambda * (1 - ssim), l1: l1 / n, ssim };
}
