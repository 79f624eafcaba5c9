/**
 * `headforge export-mesh RUN|PROJECT --out head.glb [--format glb|obj] [--texture-size 2048] [--json]`
 * The run's fitted head model as a textured mesh for engines: GLB with the expression shapes as
 * ARKit-named morph targets, or OBJ + MTL + PNG (docs/mesh-export.md).
 */
import path from 'node:path';
import {
  DEFAULT_TEXTURE_SIZE,
  exportRunMesh,
  type MeshFormat,
} from '../../engine/mesh-export/export-run-mesh';
import { EXIT, intFlag, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';

export const command: CliCommand = {
  name: 'export-mesh',
  usage: `headforge export-mesh RUN|PROJECT --out FILE [--format glb|obj] [--texture-size N] [--json]

  RUN|PROJECT     a run folder with head-fit.json (runs made with a head model), or a project folder
                  (its newest such run)
  --out           output file: .glb, or .obj (writes NAME.obj, NAME.mtl and NAME.png beside it)
  --format        glb or obj (default: from --out's extension, else glb)
  --texture-size  side of the baked atlas texture in pixels, a power of two 256..8192 (default ${DEFAULT_TEXTURE_SIZE})
  --json          one JSON object on stdout instead of text

  The mesh is the fitted ICT Face Model (face, head and neck, mouth socket, eyes, teeth, gums and
  tongue) in the run's world frame (+Y up, face +Z), textured from the run's 16 views, with a hair
  shell over the scalp (as thick as the run's hair; hair hanging below the jaw is not in it).`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: 'string' },
      format: { type: 'string' },
      'texture-size': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('expected one run or project folder');
    const out = values.out;
    if (typeof out !== 'string' || !out) throw new UsageError('--out FILE is required');
    const ext = path.extname(out).toLowerCase();
    let format: MeshFormat;
    if (values.format !== undefined) {
      if (values.format !== 'glb' && values.format !== 'obj')
        throw new UsageError(`--format must be glb or obj, got ${JSON.stringify(values.format)}`);
      format = values.format;
    } else format = ext === '.obj' ? 'obj' : 'glb';
    if (ext !== `.${format}`) throw new UsageError(`--out must end in .${format} for --format ${format}`);
    const size = intFlag(values['texture-size'], 'texture-size') ?? DEFAULT_TEXTURE_SIZE;
    if (size < 256 || size > 8192 || (size & (size - 1)) !== 0)
      throw new UsageError('--texture-size must be a power of two from 256 to 8192');
    const r = await exportRunMesh(positionals[0], { out, format, textureSize: size });
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(r));
      return EXIT.ok;
    }
    writeLine(
      io.stdout,
      `${r.files.join(', ')}: ${r.vertexCount} vertices, ${r.triangleCount} triangles, ${format === 'glb' ? `${r.morphTargets.length} morph targets, ` : ''}texture ${r.textureSize}x${r.textureSize} (${(r.bake.faceSeen * 100).toFixed(0)}% of the face seen by the views), ${(r.timings.totalMs / 1000).toFixed(1)} s`,
    );
    for (const n of r.notes) writeLine(io.stdout, `note: ${n}`);
    return EXIT.ok;
  },
};
