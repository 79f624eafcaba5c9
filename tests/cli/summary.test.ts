import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../src/cli/commands/generate';

describe('generate summary table', () => {
  it('lists each stage time, the total, Gaussians, PSNR (mean and worst view) and identity', () => {
    const text = summaryTable({
      views: [],
      headPly: 'head.ply',
      renders: [],
      metrics: { meanPsnr: 31.234, perViewPsnr: [33, 29.5, 31], gaussians: 65536, identitySimilarity: 0.8123 },
      timings: { preprocess: 1.2, multiview: 3.4, optimise: 100, evaluate: 5 },
      warnings: [],
    });
    expect(text).toMatch(/preprocess\s+1\.2 s/);
    expect(text).toMatch(/total\s+109\.6 s/);
    expect(text).toMatch(/Gaussians\s+65,536/);
    expect(text).toMatch(/mean PSNR vs 16 views\s+31\.23 dB/);
    expect(text).toMatch(/worst view PSNR\s+29\.50 dB/);
    expect(text).toMatch(/identity \(cosine, front\)\s+0\.812/);
  });
});
