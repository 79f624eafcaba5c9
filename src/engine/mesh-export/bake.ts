/**
 * Bake the head mesh's atlas texture from the run's 16 views.
 *
 * Skin (face and head cells): every texel covered by a triangle gets its surface point and normal on
 * the head posed with the fit's expression (what the views show), is projected into each view and
 * kept where the mesh itself does not hide it (a depth buffer of the mesh per view) and the view is
 * opaque there; the colour is the average over those views weighted by max(0, n . to-camera)^4, so the
 * view that sees the surface head-on dominates and grazing views barely count. Texels no view sees
 * (under the chin, inside the ears, between cells) are filled by pull-push from their neighbours.
 * Mouth socket, eye sockets, gums and tongue, teeth and sclera get fixed plausible colours; the iris
 * gets the colour the views show at the eyes, with a dark pupil.
 */
import type { RgbaImage } from '../../shared/image';
import type { HeadModel } from '../head-model/types';
import { eyeGeometry, irisColour, IRIS_DEG, PUPIL_DEG } from './bake-eyes';
import { projectors, viewColour, type BakeView } from './bake-views';
import { ATLAS_CELLS, type AtlasCellName, type HeadMesh } from './head-mesh';

export type { BakeView } from './bake-views';

export interface BakeStats {
  /** Share of skin texels (face cell / head cell, inside triangles) that some view saw. */
  faceSeen: number;
  headSeen: number;
  /** Iris colour found in the views (sRGB 0..255), or null when no view saw an eye (a default is used). */
  iris: [number, number, number] | null;
  timeMs: number;
}

type Kind = 'bake' | 'mouth' | 'socket' | 'gums' | 'teeth' | 'sclera' | 'iris';

const COLOURS: Record<Exclude<Kind, 'bake' | 'iris'>, [number, number, number]> = {
  mouth: [92, 34, 38],
  socket: [120, 70, 70],
  gums: [196, 104, 108],
  teeth: [232, 226, 208],
  sclera: [236, 232, 226],
};
const DEFAULT_IRIS: [number, number, number] = [96, 68, 48];
const PUPIL: [number, number, number] = [12, 10, 10];

function triangleKinds(model: HeadModel, mesh: HeadMesh): Kind[] {
  const range = (n: string) => model.parts.find((p) => p.name === n);
  const inPart = (t: number, ...names: string[]) =>
    names.some((n) => {
      const p = range(n);
      return !!p && t >= p.triangleStart && t < p.triangleEnd;
    });
  return mesh.triangleCell.map((cell, k) => {
    const t = mesh.sourceTriangle[k];
    if (cell === 'face') return 'bake';
    if (cell === 'head') {
      if (inPart(t, 'mouthSocket')) return 'mouth';
      if (inPart(t, 'eyeSocketL', 'eyeSocketR')) return 'socket';
      return 'bake';
    }
    return cell as Kind;
  });
}

/** Texel -> triangle and barycentrics, rasterising every triangle in atlas pixels (texel centres). */
function rasterizeUv(mesh: HeadMesh, size: number) {
  const tri = new Int32Array(size * size).fill(-1);
  const b1 = new Float32Array(size * size);
  const b2 = new Float32Array(size * size);
  const { uvs, indices } = mesh;
  for (let k = 0; k < indices.length / 3; k++) {
    const ia = indices[k * 3];
    const ib = indices[k * 3 + 1];
    const ic = indices[k * 3 + 2];
    const ax = uvs[ia * 2] * size;
    const ay = uvs[ia * 2 + 1] * size;
    const bx = uvs[ib * 2] * size;
    const by = uvs[ib * 2 + 1] * size;
    const cx = uvs[ic * 2] * size;
    const cy = uvs[ic * 2 + 1] * size;
    const det = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
    if (Math.abs(det) < 1e-12) continue;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx)));
    const x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx, cx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy)));
    const y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by, cy)));
    const eps = -1e-4;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        const w1 = ((px - ax) * (cy - ay) - (cx - ax) * (py - ay)) / det;
        const w2 = ((bx - ax) * (py - ay) - (px - ax) * (by - ay)) / det;
        if (w1 < eps || w2 < eps || w1 + w2 > 1 - eps) continue;
        const o = y * size + x;
        tri[o] = k;
        b1[o] = w1;
        b2[o] = w2;
      }
    }
  }
  return { tri, b1, b2 };
}

/** Fill texels of weight 0 in an n x n region (n a power of two) from coarser averages. */
export function pullPush(c: Float32Array, w: Uint8Array, n: number): void {
  if (n === 1) {
    if (!w[0]) c.set([128, 128, 128]);
    return;
  }
  const h = n >> 1;
  const c2 = new Float32Array(h * h * 3);
  const w2 = new Uint8Array(h * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < h; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let s = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const o = (2 * y + dy) * n + 2 * x + dx;
          if (!w[o]) continue;
          r += c[o * 3];
          g += c[o * 3 + 1];
          b += c[o * 3 + 2];
          s++;
        }
      }
      const o = y * h + x;
      if (s) {
        c2[o * 3] = r / s;
        c2[o * 3 + 1] = g / s;
        c2[o * 3 + 2] = b / s;
        w2[o] = 1;
      }
    }
  }
  pullPush(c2, w2, h);
  for (let y = 0; y < n; y++) {
    const fy = Math.min(Math.max((y + 0.5) / 2 - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const ty = fy - y0;
    for (let x = 0; x < n; x++) {
      const o = y * n + x;
      if (w[o]) continue;
      const fx = Math.min(Math.max((x + 0.5) / 2 - 0.5, 0), h - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, h - 1);
      const tx = fx - x0;
      for (let a = 0; a < 3; a++) {
        const top = c2[(y0 * h + x0) * 3 + a] * (1 - tx) + c2[(y0 * h + x1) * 3 + a] * tx;
        const bot = c2[(y1 * h + x0) * 3 + a] * (1 - tx) + c2[(y1 * h + x1) * 3 + a] * tx;
        c[o * 3 + a] = top * (1 - ty) + bot * ty;
      }
    }
  }
}

export function bakeHeadTexture(
  model: HeadModel,
  mesh: HeadMesh,
  views: BakeView[],
  size: number,
): { image: RgbaImage; stats: BakeStats } {
  const t0 = Date.now();
  if (size < 64 || (size & (size - 1)) !== 0)
    throw new RangeError(`texture size must be a power of two >= 64, got ${size}`);
  const kinds = triangleKinds(model, mesh);
  const { tri, b1, b2 } = rasterizeUv(mesh, size);
  const proj = projectors(mesh, views);
  // Self-occlusion tolerance: 0.4 cm on the head.
  const tol = 0.4 * mesh.scale;
  const eyes = [eyeGeometry(model, 'L'), eyeGeometry(model, 'R')];
  const iris = irisColour(model, mesh, eyes, views, proj, tol);

  const rgb = new Float32Array(size * size * 3);
  const seen = new Uint8Array(size * size);
  const out = new Float32Array(3);
  const tmp = new Float32Array(3);
  const P: [number, number, number] = [0, 0, 0];
  const Nn: [number, number, number] = [0, 0, 0];
  const counts = { face: [0, 0], head: [0, 0] };
  const { posedPositions: pos, posedNormals: nrm, indices } = mesh;
  for (let o = 0; o < size * size; o++) {
    const k = tri[o];
    if (k < 0) continue;
    const kind = kinds[k];
    const w1 = b1[o];
    const w2 = b2[o];
    const w0 = 1 - w1 - w2;
    const ia = indices[k * 3];
    const ib = indices[k * 3 + 1];
    const ic = indices[k * 3 + 2];
    let col: ArrayLike<number> | null = null;
    if (kind === 'bake') {
      for (let a = 0; a < 3; a++) {
        P[a] = w0 * pos[ia * 3 + a] + w1 * pos[ib * 3 + a] + w2 * pos[ic * 3 + a];
        Nn[a] = w0 * nrm[ia * 3 + a] + w1 * nrm[ib * 3 + a] + w2 * nrm[ic * 3 + a];
      }
      const l = Math.sqrt(Nn[0] * Nn[0] + Nn[1] * Nn[1] + Nn[2] * Nn[2]) || 1;
      Nn[0] /= l;
      Nn[1] /= l;
      Nn[2] /= l;
      const c = mesh.triangleCell[k] as 'face' | 'head';
      counts[c][1]++;
      if (viewColour(views, proj, P, Nn, tol, out, tmp)) {
        col = out;
        counts[c][0]++;
      }
    } else if (kind === 'iris' || kind === 'sclera') {
      const sv = mesh.sourceVertex;
      const eye = eyes.find((e) => e && sv[ia] >= e.vertexStart && sv[ia] < e.vertexEnd);
      const base = iris ?? DEFAULT_IRIS;
      col = COLOURS.sclera;
      if (eye) {
        const p = [0, 0, 0];
        for (let a = 0; a < 3; a++)
          p[a] =
            w0 * model.neutral[sv[ia] * 3 + a] +
            w1 * model.neutral[sv[ib] * 3 + a] +
            w2 * model.neutral[sv[ic] * 3 + a];
        const ang = eye.angle(p, 0);
        if (ang < PUPIL_DEG) col = PUPIL;
        else if (ang < IRIS_DEG) {
          // Darker limbal ring at the rim.
          const shade = ang > 0.85 * IRIS_DEG ? 0.6 : 1;
          out[0] = base[0] * shade;
          out[1] = base[1] * shade;
          out[2] = base[2] * shade;
          col = out;
        }
      }
    } else {
      col = COLOURS[kind];
    }
    if (!col) continue;
    rgb[o * 3] = col[0];
    rgb[o * 3 + 1] = col[1];
    rgb[o * 3 + 2] = col[2];
    seen[o] = 1;
  }
  // Fill per cell (colours never bleed from one cell into another).
  for (const cell of Object.values(ATLAS_CELLS)) fillCell(rgb, seen, size, cell.x, cell.y, cell.size);
  const data = new Uint8ClampedArray(size * size * 4);
  for (let o = 0; o < size * size; o++) {
    data[o * 4] = rgb[o * 3];
    data[o * 4 + 1] = rgb[o * 3 + 1];
    data[o * 4 + 2] = rgb[o * 3 + 2];
    data[o * 4 + 3] = 255;
  }
  // The free quadrant: mid grey.
  const h = size >> 1;
  for (let y = h; y < size; y++)
    for (let x = h; x < size; x++) data.fill(128, (y * size + x) * 4, (y * size + x) * 4 + 3);
  return {
    image: { width: size, height: size, data },
    stats: {
      faceSeen: counts.face[0] / Math.max(1, counts.face[1]),
      headSeen: counts.head[0] / Math.max(1, counts.head[1]),
      iris,
      timeMs: Date.now() - t0,
    },
  };
}

function fillCell(
  rgb: Float32Array,
  seen: Uint8Array,
  size: number,
  fx: number,
  fy: number,
  fs: number,
): void {
  const n = Math.round(fs * size);
  const x0 = Math.round(fx * size);
  const y0 = Math.round(fy * size);
  const c = new Float32Array(n * n * 3);
  const w = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const o = (y0 + y) * size + x0 + x;
      const p = y * n + x;
      w[p] = seen[o];
      c[p * 3] = rgb[o * 3];
      c[p * 3 + 1] = rgb[o * 3 + 1];
      c[p * 3 + 2] = rgb[o * 3 + 2];
    }
  }
  pullPush(c, w, n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const o = (y0 + y) * size + x0 + x;
      const p = y * n + x;
      rgb[o * 3] = c[p * 3];
      rgb[o * 3 + 1] = c[p * 3 + 1];
      rgb[o * 3 + 2] = c[p * 3 + 2];
    }
  }
}

export type { AtlasCellName };
