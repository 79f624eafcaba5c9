/**
 * Issue 17: files that open right in the readers, and the PlayCanvas toolchain's formats both ways.
 *
 * 1. Every preset and every format splat-transform reads goes through @playcanvas/splat-transform (the
 *    library, in this process) and back: our file -> its reader -> its PLY writer -> our PLY reader.
 *    Gaussians are matched by nearest position (compressed PLY and SOG reorder them in Morton order).
 * 2. Files splat-transform writes itself (SPZ v4, compressed PLY, SOG, GLB) read back as the splats it
 *    was given, in the frame its conventions imply (stated per format).
 * 3. One test per reader convention, naming the reader and where the rule comes from.
 *
 * Tolerances (measured on makeTestCloud, a 0.36 x 0.48 x 0.40 m head; "extent" = its largest side):
 *   lossless (PLY, GLB, .splat positions/scales): positions 1e-4 x extent, alpha and colour 1/255,
 *     scales 1%: the bars. .splat rotations 0.03 rad (8-bit quaternion components).
 *   Orientations are compared up to the ellipsoid's symmetry (see maxOrientationAngle).
 *   SPZ (v2/v3/v4): positions 0.5/4096 m (12 fractional bits, the spz default: 2.6e-4 x extent, above the
 *     1e-4 bar by the format's design), alpha 0.5/255, colour 0.94/255, log scale 1/32 (3.2%, the
 *     format's 8-bit log scale: above the 1% bar), rotations 0.01 rad (v3/v4) / 0.25 rad (v2),
 *     SH 8.5/128.
 *   compressed PLY: positions 5e-4 x extent (11/10/11 bits inside each 256-splat chunk's box: above the
 *     1e-4 bar by design), alpha/colour 1/255, scales 1%, rotations 0.01 rad, SH 0.02.
 *   SOG: positions 1e-4 x extent, alpha/colour 1.01/255, scales 1%, rotations 0.05 rad; SH through a
 *     k-means palette (random test SH is incompressible, so up to 0.5 here).
 * Every decoded cloud is checked for NaN/Inf.
 */
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  createChunkDataPool,
  getInputFormat,
  MemoryFileSystem,
  MemoryReadFileSystem,
  readFile,
  writeSource,
} from '@playcanvas/splat-transform';
import { exportSplat } from '../../src/engine/export/export-splat';
import { encodeSplatFile } from '../../src/engine/splat-io/encode-file';
import { decodeSplatFile } from '../../src/engine/splat-io/files';
import { sigmoid } from '../../src/shared/gaussians/activations';
import { computeBounds } from '../../src/shared/gaussians/bounds';
import { SH_C0, shCoeffsRest, type GaussianCloud } from '../../src/shared/gaussians/cloud';
import { selectGaussians } from '../../src/shared/gaussians/filter';
import { quatFromAxisAngle, quatMultiply, quatToMat3 } from '../../src/shared/gaussians/quaternion';
import { shColor } from '../../src/shared/gaussians/sh';
import { makeTestCloud, seededRandom } from '../../src/shared/gaussians/testing';
import { flipYZ, mirrorX, transformCloud } from '../../src/shared/gaussians/transforms';
import { assertFiniteCloud } from '../../src/shared/gaussians/validate';
import {
  decodeSplat,
  decodeSplatDetailed,
  encodeSplat,
  SplatFormatError,
  type ExportFileFormat,
} from '../../src/shared/splat/index';
import { readGlbDetailed, srgbToLinear } from '../../src/shared/splat/gltf';
import { fuzzTarget } from '../fuzz/harness';
import { parsePlyHeader } from '../../src/shared/splat/ply-header';
import { readPly } from '../../src/shared/splat/ply';
import { applyPreset, ENGINE_PRESETS, type PresetChoice } from '../../src/shared/splat/presets';

/**
 * Largest angle between corresponding Gaussian orientations, up to the ellipsoid's own symmetry: q and
 * q x (0,1,0,0), q x (0,0,1,0), q x (0,0,0,1) (180-degree turns about its local axes) give the same
 * covariance R S^2 R^T, and converters pick different ones (ours conjugates by the axis flip,
 * splat-transform multiplies by it).
 */
function maxOrientationAngle(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length / 4; i++) {
    const q = Array.from(a.subarray(i * 4, i * 4 + 4));
    const r = Array.from(b.subarray(i * 4, i * 4 + 4));
    const nq = Math.hypot(...q),
      nr = Math.hypot(...r);
    let best = Infinity;
    for (const e of [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]) {
      const p = quatMultiply(q, e);
      const dot = Math.abs((p[0] * r[0] + p[1] * r[1] + p[2] * r[2] + p[3] * r[3]) / (nq * nr));
      best = Math.min(best, 2 * Math.acos(Math.min(1, dot)));
    }
    m = Math.max(m, best);
  }
  return m;
}

type StOutput = Parameters<typeof writeSource>[0]['outputFormat'];

/** splat-transform as a library: bytes named inName -> outputFormat bytes. */
async function st(
  bytes: Uint8Array,
  inName: string,
  outName: string,
  outputFormat: StOutput,
  options: Record<string, unknown> = {},
): Promise<Uint8Array> {
  const rfs = new MemoryReadFileSystem();
  rfs.set(inName, bytes);
  const sources = await readFile({ filename: inName, inputFormat: getInputFormat(inName), fileSystem: rfs });
  const wfs = new MemoryFileSystem();
  await writeSource(
    { filename: outName, outputFormat, source: sources[0], pool: createChunkDataPool(), options },
    wfs,
  );
  for (const s of sources) await s.close();
  return wfs.results.get(outName)!;
}

/** `expected` reordered to follow `got` (nearest position; each match must be unique). */
function matchOrder(expected: GaussianCloud, got: GaussianCloud): GaussianCloud {
  expect(got.count).toBe(expected.count);
  const idx: number[] = [];
  const E = expected.positions,
    G = got.positions;
  for (let i = 0; i < got.count; i++) {
    let best = -1,
      bd = Infinity;
    for (let j = 0; j < expected.count; j++) {
      const d =
        (E[j * 3] - G[i * 3]) ** 2 + (E[j * 3 + 1] - G[i * 3 + 1]) ** 2 + (E[j * 3 + 2] - G[i * 3 + 2]) ** 2;
      if (d < bd) {
        bd = d;
        best = j;
      }
    }
    idx.push(best);
  }
  expect(new Set(idx).size, 'every Gaussian matched once').toBe(got.count);
  return selectGaussians(expected, idx);
}

interface Tolerance {
  /** positions, as a fraction of the largest side of the bounds (or metres when abs is set) */
  pos: number;
  posAbs?: boolean;
  alpha: number;
  colour: number;
  /** relative scale error (exp(|dlog|) - 1) */
  scale: number;
  rot: number;
  /** max |dSH|; undefined = SH not kept */
  sh?: number;
}
const BARS: Tolerance = { pos: 1e-4, alpha: 1 / 255, colour: 1 / 255, scale: 0.01, rot: 1e-3, sh: 1e-6 };

function expectClose(expected: GaussianCloud, got: GaussianCloud, tol: Tolerance): void {
  assertFiniteCloud(got);
  const e = matchOrder(expected, got);
  const extent = Math.max(...computeBounds(expected).size);
  let pos = 0,
    colour = 0,
    dlog = 0,
    alpha = 0;
  for (let k = 0; k < e.count * 3; k++) {
    pos = Math.max(pos, Math.abs(e.positions[k] - got.positions[k]));
    const c = (dc: number) => Math.min(1, Math.max(0, 0.5 + SH_C0 * dc));
    colour = Math.max(colour, Math.abs(c(e.shDC[k]) - c(got.shDC[k])));
    dlog = Math.max(dlog, Math.abs(e.scales[k] - got.scales[k]));
  }
  for (let i = 0; i < e.count; i++)
    alpha = Math.max(alpha, Math.abs(sigmoid(e.opacities[i]) - sigmoid(got.opacities[i])));
  expect(pos, 'positions').toBeLessThanOrEqual(tol.posAbs ? tol.pos : tol.pos * extent);
  expect(alpha, 'alpha').toBeLessThanOrEqual(tol.alpha + 1e-6);
  expect(colour, 'colour').toBeLessThanOrEqual(tol.colour + 1e-6);
  expect(Math.exp(dlog) - 1, 'scales').toBeLessThanOrEqual(tol.scale);
  expect(maxOrientationAngle(e.rotations, got.rotations), 'rotations').toBeLessThanOrEqual(tol.rot);
  if (tol.sh !== undefined) {
    expect(got.shDegree).toBe(e.shDegree);
    let sh = 0;
    for (let k = 0; k < e.shRest.length; k++) sh = Math.max(sh, Math.abs(e.shRest[k] - got.shRest[k]));
    expect(sh, 'SH').toBeLessThanOrEqual(tol.sh);
  }
}

interface FormatCase {
  label: string;
  format: ExportFileFormat;
  spzVersion?: 2 | 3 | 4;
  /** the name splat-transform reads it by */
  name: string;
  tol: Tolerance;
}
const SPZ_TOL = (rot: number): Tolerance => ({
  pos: 0.5 / 4096 + 1e-6,
  posAbs: true,
  alpha: 0.5 / 255,
  colour: 0.94 / 255,
  scale: Math.exp(1 / 32) - 1 + 1e-4,
  rot,
  sh: 8.5 / 128,
});
const FORMAT_CASES: FormatCase[] = [
  { label: 'ply', format: 'ply', name: 'f.ply', tol: BARS },
  { label: 'ply-compact', format: 'ply-compact', name: 'f.ply', tol: { ...BARS, sh: undefined } },
  {
    label: 'splat',
    format: 'splat',
    name: 'f.splat',
    tol: { ...BARS, alpha: 0.5 / 255, colour: 0.5 / 255, rot: 0.03, sh: undefined },
  },
  { label: 'spz v2', format: 'spz', spzVersion: 2, name: 'f.spz', tol: SPZ_TOL(0.25) },
  { label: 'spz v3', format: 'spz', spzVersion: 3, name: 'f.spz', tol: SPZ_TOL(0.01) },
  { label: 'spz v4', format: 'spz', spzVersion: 4, name: 'f.spz', tol: SPZ_TOL(0.01) },
  {
    label: 'compressed-ply',
    format: 'compressed-ply',
    name: 'f.compressed.ply',
    tol: { pos: 5e-4, alpha: 1 / 255, colour: 1 / 255, scale: 0.01, rot: 0.01, sh: 0.02 },
  },
  {
    label: 'sog',
    format: 'sog',
    name: 'f.sog',
    tol: { pos: 1e-4, alpha: 1.01 / 255, colour: 1.01 / 255, scale: 0.01, rot: 0.05, sh: 0.5 },
  },
];
const PRESET_CHOICES: PresetChoice[] = ['none', 'unity', 'unreal', 'blender', 'godot', 'web'];

describe('every preset and format through splat-transform and back', () => {
  const head = makeTestCloud(400, 3, 23);
  const cases = PRESET_CHOICES.flatMap((p) => FORMAT_CASES.map((f) => [p, f.label, f] as const));
  it.each(cases)(
    '%s preset, %s',
    async (preset, _label, fc) => {
      const opts = { format: fc.format, ...(fc.spzVersion ? { spzVersion: fc.spzVersion } : {}) };
      // What we meant to write: the preset's cloud, in the frame of the file's raw coordinates.
      const expected = applyPreset(head, preset, opts).cloud;
      const { bytes } = await exportSplat(head, { preset, ...opts });
      const ply = await st(bytes, fc.name, 'back.ply', 'ply');
      // splat-transform passes raw coordinates through; an engine preset writes engine coordinates
      // verbatim ('rub'), and SPZ always holds the cloud's own; 'none' PLY-family files are y-down.
      const rawAxes = preset !== 'none' || fc.format === 'spz' ? 'rub' : 'rdf';
      const back = readPly(ply, { axes: rawAxes }).cloud;
      expectClose(expected, back, fc.tol);
    },
    60_000,
  );
});

describe("reading splat-transform's own files gives the splats it wrote", () => {
  const head = makeTestCloud(500, 3, 29);
  const sourcePly = encodeSplat(head, 'ply'); // y-down file, as 3DGS training writes
  it('compressed PLY and SOG: the PLY frame, like our PLY', async () => {
    for (const [name, fmt, tol] of [
      ['h.compressed.ply', 'compressed-ply', FORMAT_CASES[6].tol],
      ['h.sog', 'sog-bundle', FORMAT_CASES[7].tol],
    ] as const) {
      const r = await decodeSplatFile(await st(sourcePly, 'h.ply', name, fmt));
      expect(r.format).toBe(name.endsWith('.sog') ? 'sog' : 'compressed-ply');
      expectClose(head, r.cloud, tol);
    }
  }, 60_000);
  it('SPZ v4 and v3: splat-transform stores the PLY raw (y down); Niantic defines SPZ as RUB, so it reads back turned 180 degrees about x', async () => {
    for (const spzVersion of [4, 3] as const) {
      const bytes = await st(sourcePly, 'h.ply', 'h.spz', 'spz', { spzVersion });
      if (spzVersion === 4) expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true)).toBe(4); // v4: a plain header, not gzip
      const r = await decodeSplatFile(bytes);
      expect(r.format).toBe('spz');
      expectClose(flipYZ(head), r.cloud, SPZ_TOL(0.01));
    }
  }, 60_000);
  it('GLB: linear SCALE read back exactly; splat-transform turns the PLY frame 180 degrees about z into glTF, so the head faces -z', async () => {
    const bytes = await st(sourcePly, 'h.ply', 'h.glb', 'glb');
    const { cloud, warnings } = readGlbDetailed(bytes);
    expect(warnings).toEqual([]);
    const turned = transformCloud(head, { rotation: quatFromAxisAngle([0, 1, 0], Math.PI) });
    expectClose(turned, cloud, { ...BARS, sh: 1e-5 });
  }, 60_000);
});

describe('reader conventions (one test per reader; the rule and its source)', () => {
  const head = makeTestCloud(200, 3, 31);
  it('Unity, aras-p UnityGaussianSplatting: GaussianFileReader.cs copies x y z, rot and f_rest raw into a left-handed world, so the preset mirrors x in the file', async () => {
    const { bytes } = await exportSplat(head, { preset: 'unity' });
    const file = decodeSplat(bytes, 'u.ply', { axes: 'rub' }); // raw, as the importer reads it
    for (let i = 0; i < head.count; i++) {
      expect(file.positions[i * 3]).toBeCloseTo(-head.positions[i * 3], 6);
      expect(file.positions[i * 3 + 1]).toBeCloseTo(head.positions[i * 3 + 1], 6);
    }
    // Covariance: M R S^2 R^T M with M = diag(-1, 1, 1); colour seen from d equals colour seen from M d.
    const rand = seededRandom(4);
    for (let i = 0; i < 20; i++) {
      const R0 = quatToMat3(Array.from(head.rotations.subarray(i * 4, i * 4 + 4)));
      const R1 = quatToMat3(Array.from(file.rotations.subarray(i * 4, i * 4 + 4)));
      const M = [-1, 1, 1];
      for (let r = 0; r < 3; r++)
        for (let c = 0; c < 3; c++) expect(R1[r * 3 + c]).toBeCloseTo(M[r] * R0[r * 3 + c] * M[c], 5);
      const d: [number, number, number] = [rand() - 0.5, rand() - 0.5, rand() - 0.5];
      const a = shColor(head, i, d);
      const b = shColor(file, i, [-d[0], d[1], d[2]]);
      for (let c = 0; c < 3; c++) expect(b[c]).toBeCloseTo(a[c], 5);
    }
    expect(ENGINE_PRESETS.unity.notes).toMatch(/mirror/i);
  });
  it('Godot plugins (2Retr0, haztro, gdgs): a fixed 62-float vertex, so SH 3 with all 45 f_rest even for a degree-1 head', async () => {
    const low = makeTestCloud(50, 1, 3);
    const { bytes, cloud } = await exportSplat(low, { preset: 'godot' });
    expect(cloud.shDegree).toBe(3);
    const props = parsePlyHeader(bytes).elements[0].properties.map((p) => p.name);
    expect(props.filter((p) => p.startsWith('f_rest_'))).toHaveLength(45);
    expect(props).toHaveLength(62);
    // Band 1 survives in its channel-major slots; bands 2-3 are zeros.
    const back = decodeSplat(bytes, 'g.ply', { axes: 'rub' });
    for (let i = 0; i < 50; i++)
      for (let k = 0; k < 15; k++)
        for (let c = 0; c < 3; c++)
          expect(back.shRest[(i * 15 + k) * 3 + c]).toBe(k < 3 ? low.shRest[(i * 3 + k) * 3 + c] : 0);
  });
  it('web viewers (GaussianSplats3D reads SPZ v1-v2 and SH up to 2; Spark): SPZ v2, RUB, SH 2', async () => {
    const { bytes, cloud } = await exportSplat(head, { preset: 'web' });
    expect(cloud.shDegree).toBe(2);
    const r = decodeSplatDetailed(bytes);
    expect(r.format).toBe('spz');
    const top = head.positions.indexOf(Math.max(...head.positions.filter((_, k) => k % 3 === 1)));
    expect(r.cloud.positions[top]).toBeGreaterThan(0); // the top of the head stays +y
  });
  it('Blender add-ons (Z up, Front view looks along +Y) and Unreal (Z up, centimetres): a point on the face ends at -y', async () => {
    const probe = makeTestCloud(1, 0, 1);
    probe.positions.set([0, 0, 0.1]);
    for (const [preset, y] of [
      ['blender', -0.1],
      ['unreal', -10],
    ] as const) {
      const { bytes } = await exportSplat(probe, { preset });
      const p = decodeSplat(bytes, 'x.ply', { axes: 'rub' }).positions;
      expect([+p[0].toFixed(5), +p[1].toFixed(5), +p[2].toFixed(5)]).toEqual([0, y, 0]);
    }
  });
  it('no preset: PLY-family files y down as 3DGS training writes them (SuperSplat, GaussianSplats3D with up = -y)', async () => {
    const { bytes } = await exportSplat(head, { preset: 'none', format: 'ply' });
    expect(decodeSplat(bytes, 'x.ply', { axes: 'rub' }).positions[1]).toBeCloseTo(-head.positions[1], 6);
  });
});

/** A GLB with chosen component types, to test what the reader accepts. */
function buildGlb(
  n: number,
  attrs: {
    name: string;
    type: 'SCALAR' | 'VEC3' | 'VEC4';
    componentType: number;
    normalized?: boolean;
    data: ArrayBufferView;
  }[],
): Uint8Array {
  const views: object[] = [],
    accessors: object[] = [],
    attributes: Record<string, number> = {};
  let off = 0;
  const chunks: Uint8Array[] = [];
  for (const a of attrs) {
    const bytes = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
    const padded = new Uint8Array((bytes.length + 3) & ~3);
    padded.set(bytes);
    views.push({ buffer: 0, byteOffset: off, byteLength: bytes.length });
    accessors.push({
      bufferView: views.length - 1,
      componentType: a.componentType,
      count: n,
      type: a.type,
      ...(a.normalized ? { normalized: true } : {}),
    });
    attributes[a.name] = accessors.length - 1;
    chunks.push(padded);
    off += padded.length;
  }
  const json = {
    asset: { version: '2.0' },
    extensionsUsed: ['KHR_gaussian_splatting'],
    meshes: [
      {
        primitives: [{ attributes, mode: 0, extensions: { KHR_gaussian_splatting: { kernel: 'ellipse' } } }],
      },
    ],
    buffers: [{ byteLength: off }],
    bufferViews: views,
    accessors,
  };
  let j = new TextEncoder().encode(JSON.stringify(json));
  const jp = new Uint8Array((j.length + 3) & ~3).fill(0x20);
  jp.set(j);
  j = jp;
  const out = new Uint8Array(12 + 8 + j.length + 8 + off);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x46546c67, true);
  dv.setUint32(4, 2, true);
  dv.setUint32(8, out.length, true);
  dv.setUint32(12, j.length, true);
  dv.setUint32(16, 0x4e4f534a, true);
  out.set(j, 20);
  let o = 20 + j.length;
  dv.setUint32(o, off, true);
  dv.setUint32(o + 4, 0x004e4942, true);
  o += 8;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

describe('GLB as the KHR_gaussian_splatting release candidate writes it', () => {
  const head = makeTestCloud(100, 1, 41);
  const bytes = encodeSplat(head, 'glb');
  const dv = new DataView(bytes.buffer);
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + dv.getUint32(12, true))));
  const binStart = 20 + dv.getUint32(12, true) + 8;
  const attr = (name: string, comps: number) => {
    const acc = json.accessors[json.meshes[0].primitives[0].attributes[name]];
    const view = json.bufferViews[acc.bufferView];
    return new Float32Array(
      bytes.slice(binStart + view.byteOffset, binStart + view.byteOffset + acc.count * comps * 4).buffer,
    );
  };
  it('SCALE is linear (exp of the log scale), non-negative', () => {
    const s = attr('KHR_gaussian_splatting:SCALE', 3);
    for (let k = 0; k < s.length; k++) expect(s[k]).toBeCloseTo(Math.exp(head.scales[k]), 7);
    expect(Math.min(...s)).toBeGreaterThan(0);
  });
  it('COLOR_0 is linear (glTF vertex colours are): srgbToLinear of the display colour', () => {
    const c = attr('COLOR_0', 4);
    for (let i = 0; i < head.count; i++) {
      expect(c[i * 4]).toBeCloseTo(srgbToLinear(0.5 + SH_C0 * head.shDC[i * 3]), 6);
      expect(c[i * 4 + 3]).toBeCloseTo(sigmoid(head.opacities[i]), 6);
    }
  });
  it('round-trips within float32 (scales relative 1e-6, alpha 1e-6) and without NaN', () => {
    const back = decodeSplat(bytes);
    assertFiniteCloud(back);
    expectClose(head, back, { pos: 0, alpha: 1e-6, colour: 0, scale: 1e-6, rot: 1e-3, sh: 0 });
  });
  it('reads normalised integer SCALE, ROTATION and OPACITY (allowed by the spec), and a zero scale as a finite log', () => {
    const n = 3;
    const pos = new Float32Array([0, 0, 0, 0.1, 0, 0, 0, 0.1, 0]);
    const scale = new Uint16Array([65535, 32768, 0, 655, 655, 655, 6554, 13107, 19661]); // 1, 0.5, 0, 0.01 ...
    const rot = new Int8Array([0, 0, 0, 127, 0, 0, 0, 127, 0, 0, 0, 127]);
    const op = new Uint8Array([255, 128, 0, 0]);
    const dc = new Float32Array(9);
    const glb = buildGlb(n, [
      { name: 'POSITION', type: 'VEC3', componentType: 5126, data: pos },
      {
        name: 'KHR_gaussian_splatting:SCALE',
        type: 'VEC3',
        componentType: 5123,
        normalized: true,
        data: scale,
      },
      {
        name: 'KHR_gaussian_splatting:ROTATION',
        type: 'VEC4',
        componentType: 5120,
        normalized: true,
        data: rot,
      },
      {
        name: 'KHR_gaussian_splatting:OPACITY',
        type: 'SCALAR',
        componentType: 5121,
        normalized: true,
        data: op.subarray(0, 3),
      },
      { name: 'KHR_gaussian_splatting:SH_DEGREE_0_COEF_0', type: 'VEC3', componentType: 5126, data: dc },
    ]);
    const { cloud, warnings } = readGlbDetailed(glb);
    expect(warnings).toEqual([]);
    assertFiniteCloud(cloud);
    expect(Math.exp(cloud.scales[0])).toBeCloseTo(1, 6);
    expect(Math.exp(cloud.scales[1])).toBeCloseTo(32768 / 65535, 6);
    expect(cloud.scales[2]).toBeLessThan(-60); // zero -> log(1e-30), not -Infinity
    expect(Math.exp(cloud.scales[3])).toBeCloseTo(655 / 65535, 6);
    expect(sigmoid(cloud.opacities[1])).toBeCloseTo(128 / 255, 5);
    expect(Array.from(cloud.rotations.subarray(0, 4))).toEqual([1, 0, 0, 0]);
  });
  it('reads a log-space SCALE (the earlier draft; HeadForge and splat-transform before the change) with a warning', () => {
    const n = 2;
    const glb = buildGlb(n, [
      { name: 'POSITION', type: 'VEC3', componentType: 5126, data: new Float32Array(6) },
      {
        name: 'KHR_gaussian_splatting:SCALE',
        type: 'VEC3',
        componentType: 5126,
        data: new Float32Array([-4, -4.5, -5, -3, -3, -3]),
      },
      {
        name: 'KHR_gaussian_splatting:ROTATION',
        type: 'VEC4',
        componentType: 5126,
        data: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1]),
      },
      {
        name: 'KHR_gaussian_splatting:OPACITY',
        type: 'SCALAR',
        componentType: 5126,
        data: new Float32Array([0.5, 0.9]),
      },
      {
        name: 'KHR_gaussian_splatting:SH_DEGREE_0_COEF_0',
        type: 'VEC3',
        componentType: 5126,
        data: new Float32Array(6),
      },
    ]);
    const r = decodeSplatDetailed(glb);
    expect(r.warnings.join()).toMatch(/log space/);
    expect(Array.from(r.cloud.scales.subarray(0, 3))).toEqual([-4, -4.5, -5]);
  });
  it('refuses NaN in SCALE, naming the attribute', () => {
    const glb = buildGlb(1, [
      { name: 'POSITION', type: 'VEC3', componentType: 5126, data: new Float32Array(3) },
      {
        name: 'KHR_gaussian_splatting:SCALE',
        type: 'VEC3',
        componentType: 5126,
        data: new Float32Array([0.1, NaN, 0.1]),
      },
      {
        name: 'KHR_gaussian_splatting:ROTATION',
        type: 'VEC4',
        componentType: 5126,
        data: new Float32Array([0, 0, 0, 1]),
      },
      {
        name: 'KHR_gaussian_splatting:OPACITY',
        type: 'SCALAR',
        componentType: 5126,
        data: new Float32Array([0.5]),
      },
      {
        name: 'KHR_gaussian_splatting:SH_DEGREE_0_COEF_0',
        type: 'VEC3',
        componentType: 5126,
        data: new Float32Array(3),
      },
    ]);
    expect(() => decodeSplat(glb)).toThrow(/non-finite value NaN in SCALE/);
  });
  it('mirrorX is its own inverse and keeps SH layout (degree 3)', () => {
    const c = makeTestCloud(30, 3, 2);
    const twice = mirrorX(mirrorX(c));
    expect(Array.from(twice.shRest)).toEqual(Array.from(c.shRest));
    expect(shCoeffsRest(twice.shDegree)).toBe(15);
  });
});

describe('SPZ v4 reader (fzstd) refuses malformed containers before inflating past the declared sizes', () => {
  it('lying stream table, wrong stream count, truncation, a stream that inflates past its slot', async () => {
    const good = await encodeSplatFile(makeTestCloud(100, 1, 8), 'spz', { spzVersion: 4 });
    expect(decodeSplat(good).count).toBe(100);
    const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
    const toc = dv(good).getUint32(16, true);
    const err = (b: Uint8Array, re: RegExp) => expect(() => decodeSplat(b)).toThrow(re);
    const count = good.slice();
    count[15] = 5;
    err(count, /declares 5 streams; SH degree 1 needs 6/);
    const lying = good.slice();
    dv(lying).setBigUint64(toc + 8, 10n ** 9n, true);
    err(lying, /stream 0 declares 1000000000 bytes; the header implies 900/);
    err(good.subarray(0, good.length - 8), /runs past the end|not valid zstd/);
    // Stream 1 (alphas, 100 bytes) pointed at stream 0's frame (900 bytes): stops at the slot's end.
    const c0 = dv(good).getBigUint64(toc, true);
    const tail = good.subarray(toc + 6 * 16 + Number(c0));
    const swapped = new Uint8Array(toc + 6 * 16 + Number(c0) * 2 + tail.length);
    swapped.set(good.subarray(0, toc + 6 * 16 + Number(c0)));
    swapped.set(good.subarray(toc + 6 * 16, toc + 6 * 16 + Number(c0)), toc + 6 * 16 + Number(c0));
    dv(swapped).setBigUint64(toc + 16, c0, true);
    err(swapped, /stream 1 declares 900 bytes of content, not 100/);
  });
});

describe('SPZ v4 under fuzzing (fixed seed, the issue-20 harness)', () => {
  it('2000 mutated v4 files: each decodes or throws SplatFormatError, in under a second', async () => {
    const seeds = [
      await encodeSplatFile(makeTestCloud(6, 0, 1), 'spz', { spzVersion: 4 }),
      await encodeSplatFile(makeTestCloud(5, 1, 2), 'spz', { spzVersion: 4 }),
      await encodeSplatFile(makeTestCloud(4, 3, 3), 'spz', { spzVersion: 4 }),
    ];
    const stats = await fuzzTarget(
      {
        name: 'SPZ v4',
        errorClass: SplatFormatError,
        seeds: () => seeds,
        read: (b) => {
          const c = decodeSplat(b);
          return c.count * (14 + shCoeffsRest(c.shDegree) * 3) * 4;
        },
        // zstd's RLE bound (32768x) times float32 from 1-byte fields.
        maxAmplification: 4 * 32768,
      },
      31_000,
      2000,
    );
    expect(stats.failures.slice(0, 5).map((f) => `#${f.iteration}: ${f.reason}`)).toEqual([]);
    expect(stats.accepted).toBeGreaterThan(0);
    expect(stats.rejected).toBeGreaterThan(0);
  }, 120_000);
});

describe('compressed PLY and SOG: lying counts are refused before splat-transform allocates for them', () => {
  it('a compressed PLY declaring 40M vertices in 120 KB, a SOG whose meta.json count exceeds its textures', async () => {
    const head = makeTestCloud(300, 1, 9);
    const cply = await encodeSplatFile(head, 'compressed-ply');
    const text = new TextDecoder('latin1').decode(cply.subarray(0, 4000));
    const end = text.indexOf('end_header\n') + 'end_header\n'.length;
    const lyingHeader = text.slice(0, end).replace(/element vertex \d+/, 'element vertex 40000000');
    const lying = new Uint8Array([...new TextEncoder().encode(lyingHeader), ...cply.subarray(end)]);
    await expect(decodeSplatFile(lying)).rejects.toThrow(
      /declares \d+ bytes of rows but only \d+ bytes are present/,
    );

    const sog = await encodeSplatFile(head, 'sog');
    const entries = unzipSync(sog);
    const meta = JSON.parse(new TextDecoder().decode(entries['meta.json']));
    await expect(
      decodeSplatFile(
        zipSync({
          ...entries,
          'meta.json': new TextEncoder().encode(JSON.stringify({ ...meta, count: 40_000_000 })),
        }),
      ),
    ).rejects.toThrow(/declares 40000000 Gaussians but means_l.webp holds/);
    await expect(decodeSplatFile(zipSync({ 'meta.json': entries['meta.json'] }))).rejects.toThrow(
      /no readable means_l.webp/,
    );
    expect((await decodeSplatFile(sog)).cloud.count).toBe(300);
  }, 60_000);
});
