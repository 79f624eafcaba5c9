/** The eyes of the baked atlas: where the iris and pupil are on the kit's eyeballs, and the iris colour the views show. */
import type { HeadModel } from '../head-model/types';
import { viewColour, type BakeView, type Projector } from './bake-views';
import type { HeadMesh } from './head-mesh';

/**
 * The eyes' geometry in the neutral model: the kit's iris and sclera parts are both whole spheres
 * (inner and outer shells) sharing one UV layout, so the iris and pupil are painted by angle from
 * the eye's forward axis (+z in the model) round the eyeball's centre, on either shell.
 */
export const IRIS_DEG = 24;
export const PUPIL_DEG = 9;

export interface EyeGeometry {
  vertexStart: number;
  vertexEnd: number;
  /** Angle (degrees) of a neutral-model point from the eye's forward axis. */
  angle(p: ArrayLike<number>, o: number): number;
}

export function eyeGeometry(model: HeadModel, side: 'L' | 'R'): EyeGeometry | null {
  const ball = model.parts.find((p) => p.name === `eyeball${side}`);
  const sclera = model.parts.find((p) => p.name === `sclera${side}`) ?? ball;
  if (!ball || !sclera) return null;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let v = sclera.vertexStart; v < sclera.vertexEnd; v++)
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a], model.neutral[v * 3 + a]);
      hi[a] = Math.max(hi[a], model.neutral[v * 3 + a]);
    }
  const radius = (hi[0] - lo[0] + hi[1] - lo[1]) / 4;
  const c = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, hi[2] - radius];
  return {
    vertexStart: ball.vertexStart,
    vertexEnd: ball.vertexEnd,
    angle: (p, o) => {
      const dx = p[o] - c[0];
      const dy = p[o + 1] - c[1];
      const dz = p[o + 2] - c[2];
      return (Math.acos(Math.max(-1, Math.min(1, dz / (Math.hypot(dx, dy, dz) || 1)))) * 180) / Math.PI;
    },
  };
}

/** Iris colour: the views' colour at the visible irises (median of the samples), or null. */
export function irisColour(
  model: HeadModel,
  mesh: HeadMesh,
  eyes: (EyeGeometry | null)[],
  views: BakeView[],
  proj: Projector[],
  tol: number,
): [number, number, number] | null {
  const samples: number[][] = [[], [], []];
  const out = new Float32Array(3);
  const tmp = new Float32Array(3);
  for (const eye of eyes) {
    if (!eye) continue;
    for (let i = 0; i < mesh.sourceVertex.length; i++) {
      const s = mesh.sourceVertex[i];
      if (s < eye.vertexStart || s >= eye.vertexEnd) continue;
      const a = eye.angle(model.neutral, s * 3);
      if (a < PUPIL_DEG * 1.3 || a > IRIS_DEG * 0.85) continue;
      const p: [number, number, number] = [
        mesh.posedPositions[i * 3],
        mesh.posedPositions[i * 3 + 1],
        mesh.posedPositions[i * 3 + 2],
      ];
      const n: [number, number, number] = [
        mesh.posedNormals[i * 3],
        mesh.posedNormals[i * 3 + 1],
        mesh.posedNormals[i * 3 + 2],
      ];
      if (!viewColour(views, proj, p, n, tol, out, tmp)) continue;
      for (let k = 0; k < 3; k++) samples[k].push(out[k]);
    }
  }
  if (samples[0].length < 4) return null;
  return samples.map((s) => {
    s.sort((x, y) => x - y);
    return Math.round(s[s.length >> 1]);
  }) as [number, number, number];
}
