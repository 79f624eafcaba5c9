/**
 * The export dialog's request (issue 17): with SH on "Preset's", no shDegree is sent, so the engine
 * applies the preset's degree exactly as `headforge convert --preset` does (the dialog used to send its
 * default 0, so a studio Unity export lost every SH band the CLI kept); SPZ versions and the opacity
 * clean-up map onto the request.
 */
import { describe, expect, it } from 'vitest';
import { exportRequestFor } from '../../src/renderer/workspace/ExportDialog';
import { estimateExportBytes } from '../../src/renderer/workspace/export-estimate';

const base = { projectId: 'p', runId: 'r' } as const;

describe('export dialog request', () => {
  it("SH 'auto' leaves the degree to the preset; an explicit one overrides; no-SH formats send 0", () => {
    expect(exportRequestFor({ ...base, formatChoice: 'ply', preset: 'unity', shChoice: 'auto' })).toEqual({
      ...base,
      format: 'ply',
      preset: 'unity',
    });
    expect(exportRequestFor({ ...base, formatChoice: 'ply', preset: 'godot', shChoice: 1 }).shDegree).toBe(1);
    expect(exportRequestFor({ ...base, formatChoice: 'splat', preset: 'none', shChoice: 3 }).shDegree).toBe(
      0,
    );
  });
  it('SPZ choices carry their container version; clean-up and budget pass through', () => {
    expect(exportRequestFor({ ...base, formatChoice: 'spz', preset: 'web', shChoice: 'auto' })).toMatchObject(
      { format: 'spz', spzVersion: 2 },
    );
    expect(
      exportRequestFor({ ...base, formatChoice: 'spz-v4', preset: 'none', shChoice: 'auto' }),
    ).toMatchObject({ format: 'spz', spzVersion: 4 });
    const r = exportRequestFor({
      ...base,
      formatChoice: 'sog',
      preset: 'none',
      shChoice: 'auto',
      maxSplats: 1000,
      minOpacity: 0.1,
    });
    expect(r).toMatchObject({ format: 'sog', maxSplats: 1000, cleanup: { minOpacity: 0.1 } });
    expect(
      exportRequestFor({ ...base, formatChoice: 'ply', preset: 'none', shChoice: 'auto', minOpacity: 0 })
        .cleanup,
    ).toBeUndefined();
  });
  it('has a size estimate for every format', () => {
    for (const f of ['ply', 'ply-compact', 'splat', 'spz', 'glb', 'compressed-ply', 'sog', 'html'] as const)
      expect(estimateExportBytes(f, 65_536, 3)).toBeGreaterThan(0);
  });
});
