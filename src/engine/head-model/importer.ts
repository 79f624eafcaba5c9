/**
 * ICT-FaceKit importer: the kit's FaceXModel folder (as published, every file a complete OBJ, or the
 * trimmed copy in ../shared whose identity/expression files hold only `v` lines) -> the compact,
 * checksummed asset of ./asset.ts. Topology and UVs come from generic_neutral_mesh.obj, only positions
 * from every other file; the Multi-PIE 68 indices and the part table from the kit's README.md.
 *
 * What was checked against the kit's own Python loader (Scripts/face_model_io.py, ict_face_model.py):
 * a mode is `file - neutral` for identities and expressions alike; the expressions are the 53 names of
 * vertex_indices.json "expressions" (so PupilDilate_L/R and the extra cheekRaiser_L/R files are not
 * among them); `randomize_identity` draws identity weights from np.random.normal (N(0,1)), i.e. each
 * identity file is the mean plus one standard deviation of its mode.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  HEAD_MODEL_MANIFEST,
  LANDMARK_STATUS,
  writeHeadModelAsset,
  type HeadModelData,
  type HeadModelManifest,
} from './asset';
import { parseObjMesh, parseObjPositions } from './obj';
import { MULTI_PIE_68_HEADING, parseIndexListAfter, parseKitRanges, type KitRange } from './readme';
import { FACE_MESH_LANDMARKS, type HeadModel, type HeadModelPart } from './types';

/** Bump when the importer's output changes (cached imports are redone). */
export const HEAD_MODEL_IMPORTER_VERSION = 5;
export const ICT_MODEL_NAME = 'ict-facekit';
export const ICT_LICENCE =
  'MIT (ICT-FaceKit, USC Institute for Creative Technologies; see LICENSE next to this file)';
export const ICT_SOURCE = 'ICT Face Model Light, ICT-FaceKit FaceXModel/ (github.com/ICT-VGL/ICT-FaceKit)';

const NEUTRAL_FILE = 'generic_neutral_mesh.obj';

/** README geometry names -> part names (the first table, the face-area and eyeball tables). */
const PART_NAMES: Record<string, string> = {
  Face: 'face',
  'Head and Neck': 'headNeck',
  'Mouth socket': 'mouthSocket',
  'Eye socket left': 'eyeSocketL',
  'Eye socket right': 'eyeSocketR',
  'Gums and tongue': 'gumsTongue',
  Teeth: 'teeth',
  'Eyeball left': 'eyeballL',
  'Eyeball right': 'eyeballR',
  'Lacrimal fluid left': 'lacrimalL',
  'Lacrimal fluid right': 'lacrimalR',
  'Eye blend left': 'eyeBlendL',
  'Eye blend right': 'eyeBlendR',
  'Eye occlusion left': 'eyeOcclusionL',
  'Eye occlusion right': 'eyeOcclusionR',
  'Eyelashes left': 'eyelashesL',
  'Eyelashes right': 'eyelashesR',
  'Narrow face area': 'narrowFace',
  'Sclera left': 'scleraL',
  'Iris left': 'irisL',
  'Sclera right': 'scleraR',
  'Iris right': 'irisR',
};

/** The parts every imported model has (the lead's fitting relies on them). */
export const REQUIRED_PARTS = [
  'face',
  'headNeck',
  'mouthSocket',
  'eyeSocketL',
  'eyeSocketR',
  'gumsTongue',
  'teeth',
  'eyeballL',
  'eyeballR',
  'lacrimalL',
  'lacrimalR',
  'eyeBlendL',
  'eyeBlendR',
  'eyeOcclusionL',
  'eyeOcclusionR',
  'eyelashesL',
  'eyelashesR',
] as const;

export interface ImportHeadModelOptions {
  /** Progress lines ("reading identity000.obj ..."). */
  log?: (line: string) => void;
  /** Compute the 478-landmark correspondences (renders + the face detector); default true. */
  landmarks?: boolean;
}

export interface ImportHeadModelResult {
  dir: string;
  manifest: HeadModelManifest;
  model: HeadModel;
}

/** The FaceXModel folder for `srcDir` (the folder itself, or the kit's root that contains it). */
export function resolveKitModelDir(srcDir: string): string {
  const abs = path.resolve(srcDir);
  if (fs.existsSync(path.join(abs, NEUTRAL_FILE))) return abs;
  const sub = path.join(abs, 'FaceXModel');
  if (fs.existsSync(path.join(sub, NEUTRAL_FILE))) return sub;
  throw new Error(
    `${srcDir} is not an ICT-FaceKit FaceXModel folder: ${NEUTRAL_FILE} is missing (give the kit's FaceXModel folder)`,
  );
}

/** The kit's README.md: next to the model files or one folder up (the repository root). */
function findKitFile(modelDir: string, name: string): string | null {
  for (const dir of [modelDir, path.dirname(modelDir)]) {
    const f = path.join(dir, name);
    if (fs.existsSync(f)) return f;
  }
  return null;
}

/** Source files of the import (neutral, identities, expressions, README), in a stable order. */
export function kitSourceFiles(srcDir: string): string[] {
  const dir = resolveKitModelDir(srcDir);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.obj') || f === 'vertex_indices.json')
    .sort()
    .map((f) => path.join(dir, f));
  const readme = findKitFile(dir, 'README.md');
  if (readme) files.push(readme);
  return files;
}

function identityFiles(dir: string): string[] {
  const out: string[] = [];
  for (let k = 0; ; k++) {
    const f = path.join(dir, `identity${String(k).padStart(3, '0')}.obj`);
    if (!fs.existsSync(f)) break;
    out.push(f);
  }
  return out;
}

function expressionNames(dir: string): string[] {
  const json = path.join(dir, 'vertex_indices.json');
  if (fs.existsSync(json)) {
    const cfg = JSON.parse(fs.readFileSync(json, 'utf8')) as { expressions?: unknown };
    if (Array.isArray(cfg.expressions) && cfg.expressions.every((e) => typeof e === 'string'))
      return cfg.expressions as string[];
  }
  // No config: every other OBJ but the pupil dilation shapes (not facial expressions).
  return fs
    .readdirSync(dir)
    .filter(
      (f) =>
        f.endsWith('.obj') &&
        f !== NEUTRAL_FILE &&
        !/^identity\d+\.obj$/.test(f) &&
        !f.startsWith('PupilDilate'),
    )
    .map((f) => f.slice(0, -4))
    .sort();
}

function readDeltas(
  files: string[],
  neutral: Float64Array,
  out: Float32Array,
  log?: (l: string) => void,
): void {
  const n = neutral.length;
  files.forEach((file, k) => {
    const { positions } = parseObjPositions(fs.readFileSync(file, 'utf8'), path.basename(file));
    if (positions.length !== n)
      throw new Error(
        `${path.basename(file)} has ${positions.length / 3} vertices, the neutral mesh ${n / 3}`,
      );
    const base = k * n;
    for (let i = 0; i < n; i++) out[base + i] = positions[i] - neutral[i];
    if (log && (k % 10 === 9 || k === files.length - 1))
      log(`  ${k + 1}/${files.length} ${path.basename(file)}`);
  });
}

/** Part ranges (ends exclusive) from the README rows; triangle ranges via each triangle's polygon. */
function partsFromRanges(
  rows: KitRange[],
  triangleFace: Uint32Array,
  faceCount: number,
  vertexCount: number,
): HeadModelPart[] {
  // First triangle of each polygon (polygons are in order), plus the end.
  const firstTri = new Uint32Array(faceCount + 1);
  firstTri.fill(triangleFace.length);
  for (let t = triangleFace.length - 1; t >= 0; t--) firstTri[triangleFace[t]] = t;
  for (let f = faceCount - 1; f >= 0; f--) if (firstTri[f] > firstTri[f + 1]) firstTri[f] = firstTri[f + 1];
  const parts: HeadModelPart[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const name = PART_NAMES[r.name];
    if (!name || seen.has(name)) continue;
    if (r.vertexLast >= vertexCount || r.faceLast >= faceCount) {
      throw new Error(
        `README part "${r.name}" [${r.vertexFirst}:${r.vertexLast}] does not fit the mesh (${vertexCount} vertices, ${faceCount} faces)`,
      );
    }
    seen.add(name);
    parts.push({
      name,
      vertexStart: r.vertexFirst,
      vertexEnd: r.vertexLast + 1,
      triangleStart: firstTri[r.faceFirst],
      triangleEnd: firstTri[r.faceLast + 1],
    });
  }
  const missing = REQUIRED_PARTS.filter((p) => !seen.has(p));
  if (missing.length)
    throw new Error(`the kit's README.md lacks the part table rows for ${missing.join(', ')}`);
  return parts;
}

/** Everything but the landmark correspondences, from the kit's files. */
export function readKit(srcDir: string, log?: (l: string) => void): { data: HeadModelData; files: string[] } {
  const dir = resolveKitModelDir(srcDir);
  const readmeFile = findKitFile(dir, 'README.md');
  if (!readmeFile)
    throw new Error(
      `the kit's README.md (part table, Multi-PIE 68 indices) is neither in ${dir} nor in its parent folder`,
    );
  const readme = fs.readFileSync(readmeFile, 'utf8');

  log?.(`reading ${NEUTRAL_FILE}`);
  const mesh = parseObjMesh(fs.readFileSync(path.join(dir, NEUTRAL_FILE), 'utf8'), NEUTRAL_FILE);
  const V = mesh.positions.length / 3;
  const T = mesh.triangles.length / 3;
  const rows = parseKitRanges(readme);
  const all = rows.find((r) => r.name === 'All');
  if (all && (all.vertexLast + 1 !== V || all.faceLast + 1 !== mesh.faceCount)) {
    throw new Error(
      `${NEUTRAL_FILE} has ${V} vertices and ${mesh.faceCount} faces, the README says ${all.vertexLast + 1} and ${all.faceLast + 1}`,
    );
  }
  const parts = partsFromRanges(rows, mesh.triangleFace, mesh.faceCount, V);

  let mp = parseIndexListAfter(readme, MULTI_PIE_68_HEADING);
  if (!mp) {
    const json = path.join(dir, 'vertex_indices.json');
    const cfg = fs.existsSync(json)
      ? (JSON.parse(fs.readFileSync(json, 'utf8')) as { idx_to_landmark_verts?: number[] })
      : {};
    mp = cfg.idx_to_landmark_verts ?? null;
  }
  if (!mp || mp.length !== 68 || mp.some((i) => !Number.isInteger(i) || i < 0 || i >= V)) {
    throw new Error(
      `no valid Multi-PIE 68 landmark list in the kit's README.md (found ${mp?.length ?? 0} indices)`,
    );
  }

  const jaw = (heading: string) => {
    const list = parseIndexListAfter(readme, heading);
    return list && list.length && list.every((i) => Number.isInteger(i) && i >= 0 && i < V)
      ? Uint32Array.from(list)
      : null;
  };
  const [jr, jl, jre, jle] = [
    'Right jawline (',
    'Left jawline (',
    'Right extended jawline',
    'Left extended jawline',
  ].map(jaw);
  const jawline =
    jr && jl && jre && jle ? { right: jr, left: jl, rightExtended: jre, leftExtended: jle } : undefined;

  const uvs = new Float32Array(T * 6);
  const nt = mesh.texcoords.length / 2;
  for (let c = 0; c < T * 3; c++) {
    const ti = mesh.triangleTexcoords[c];
    if (ti < 0 || ti >= nt)
      throw new Error(`${NEUTRAL_FILE}: triangle corner ${c} has no texture coordinate`);
    uvs[c * 2] = mesh.texcoords[ti * 2];
    // OBJ v points up; the project's textures (src/shared/mesh) have v pointing down.
    uvs[c * 2 + 1] = 1 - mesh.texcoords[ti * 2 + 1];
  }

  const idFiles = identityFiles(dir);
  if (!idFiles.length) throw new Error(`no identity000.obj in ${dir}`);
  const exNames = expressionNames(dir);
  const exFiles = exNames.map((n) => path.join(dir, `${n}.obj`));
  const absent = exFiles.filter((f) => !fs.existsSync(f));
  if (absent.length)
    throw new Error(`expression files missing: ${absent.map((f) => path.basename(f)).join(', ')}`);

  const identity = new Float32Array(idFiles.length * V * 3);
  log?.(`reading ${idFiles.length} identity modes`);
  readDeltas(idFiles, mesh.positions, identity, log);
  const expressions = new Float32Array(exFiles.length * V * 3);
  log?.(`reading ${exFiles.length} expression shapes`);
  readDeltas(exFiles, mesh.positions, expressions, log);

  const data: HeadModelData = {
    vertexCount: V,
    neutral: Float32Array.from(mesh.positions),
    identityCount: idFiles.length,
    identity,
    expressionNames: exNames,
    expressions,
    triangles: mesh.triangles,
    triangleUvs: uvs,
    parts,
    landmarkTriangles: new Int32Array(FACE_MESH_LANDMARKS).fill(-1),
    landmarkBarycentrics: new Float32Array(FACE_MESH_LANDMARKS * 3),
    multiPie68: Uint32Array.from(mp),
    landmarkStatus: new Uint8Array(FACE_MESH_LANDMARKS).fill(LANDMARK_STATUS.undetected),
    ...(jawline ? { jawline } : {}),
  };
  return { data, files: [path.join(dir, NEUTRAL_FILE), readmeFile, ...idFiles, ...exFiles] };
}

/**
 * Import the kit at `srcDir` into `destDir` (head-model.json + head-model.bin, plus the kit's LICENSE
 * and CREDITS.md). Returns the written manifest and the model as the loader will see it.
 */
export async function importHeadModel(
  srcDir: string,
  destDir: string,
  opts: ImportHeadModelOptions = {},
): Promise<ImportHeadModelResult> {
  const t0 = Date.now();
  const { data, files } = readKit(srcDir, opts.log);
  let landmarkInfo: Record<string, unknown> = { computed: false };
  if (opts.landmarks !== false) {
    const { computeLandmarkCorrespondences } = await import('./landmarks');
    opts.log?.('finding the 478 face-mesh landmarks on renders of the mean head');
    const lm = await computeLandmarkCorrespondences(data, { log: opts.log });
    data.landmarkTriangles = lm.triangles;
    data.landmarkBarycentrics = lm.barycentrics;
    data.landmarkStatus = lm.status;
    landmarkInfo = { computed: true, ...lm.summary };
  }
  const sourceHash = crypto.createHash('sha256');
  for (const f of files) sourceHash.update(`${path.basename(f)}:${fs.statSync(f).size}\n`);
  const manifest = writeHeadModelAsset(destDir, data, {
    name: ICT_MODEL_NAME,
    version: HEAD_MODEL_IMPORTER_VERSION,
    licence: ICT_LICENCE,
    source: ICT_SOURCE,
    importInfo: {
      importer: `headforge head-model importer v${HEAD_MODEL_IMPORTER_VERSION}`,
      from: resolveKitModelDir(srcDir),
      files: files.length,
      sourceSizesSha256: sourceHash.digest('hex'),
      seconds: (Date.now() - t0) / 1000,
      landmarks: landmarkInfo,
    },
  });
  const kitDir = resolveKitModelDir(srcDir);
  for (const extra of ['LICENSE', 'CREDITS.md']) {
    const f = findKitFile(kitDir, extra);
    if (f) fs.copyFileSync(f, path.join(destDir, extra));
  }
  const model: HeadModel = {
    info: {
      name: manifest.name,
      version: manifest.version,
      sha256: manifest.sha256,
      source: manifest.source,
      licence: manifest.licence,
    },
    ...data,
  };
  opts.log?.(
    `wrote ${path.join(destDir, HEAD_MODEL_MANIFEST)} (${(manifest.byteLength / 1e6).toFixed(1)} MB binary) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { dir: destDir, manifest, model };
}
