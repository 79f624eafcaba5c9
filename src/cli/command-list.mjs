/**
 * The CLI's commands as `headforge --help` lists them, and the help text. Plain JavaScript so that
 * bin/headforge.mjs prints the help without loading tsx or any TypeScript (that alone takes longer than
 * help should); src/cli/command-table.ts pairs each row with the loader of its module.
 * Types: command-list.d.mts.
 */
export const COMMAND_LIST = [
  { name: 'generate', summary: 'generate a 3D Gaussian head from one portrait' },
  { name: 'projects', summary: 'list the projects in the library, or show one' },
  {
    name: 'serve',
    summary: 'browser mode: serve the studio on 127.0.0.1 and print its URL (with the access token)',
  },
  {
    name: 'doctor',
    summary: 'check Node/Electron, onnxruntime providers, GPU, native addon, model packs, pipeline',
  },
  {
    name: 'models',
    summary: 'list installed model packs and head models, validate one, or import the ICT head model',
  },
  {
    name: 'convert',
    summary:
      'convert Gaussian splats between PLY, .splat, SPZ, GLB, compressed PLY, SOG (and write an HTML viewer), optionally for an engine preset',
  },
  { name: 'info', summary: 'show a splat file: format, Gaussian count, SH degree, bounds, size' },
  { name: 'eval', summary: 'score the pipeline against ground-truth heads (PSNR, SSIM, CSIM, mask IoU)' },
  {
    name: 'stylize',
    summary:
      'stylize a portrait (cel, pencil, painterly, or an ONNX style pack) or recolour a generated head',
  },
  {
    name: 'frontal',
    summary: 'predict the frontal portrait of a head from a profile/3-4 portrait, a run or a splat file',
  },
  {
    name: 'animate',
    summary: 'render a head to MP4/WebM/GIF/PNG sequence along a camera path, with optional expressions',
  },
  {
    name: 'export-mesh',
    summary:
      "export a run's fitted head as a textured mesh (GLB with ARKit morph targets, or OBJ + MTL + PNG); no hair",
  },
  {
    name: 'batch',
    summary: 'make one head per portrait (and seed) of a folder, locally or on a farm (--queue)',
  },
  {
    name: 'worker',
    summary: 'make heads for batches submitted with `headforge batch --queue` (one per machine of a farm)',
  },
];

const EXIT_CODES_LINE =
  'exit codes: 0 ok, 1 internal error, 2 bad input/usage, 3 missing model pack/backend/pipeline or disk full/not writable, 4 cancelled';

export function helpText() {
  const width = Math.max(...COMMAND_LIST.map((c) => c.name.length));
  return [
    'headforge — one portrait in, a full-head 3D Gaussian avatar out',
    '',
    'usage: headforge <command> [options]    (headforge <command> --help for its options)',
    '',
    ...COMMAND_LIST.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    EXIT_CODES_LINE,
  ].join('\n');
}
