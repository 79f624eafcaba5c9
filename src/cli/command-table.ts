/**
 * The CLI's commands: name, the one line `headforge --help` shows, and how to load the module. The
 * modules are imported only when their command runs, so `headforge --help` loads none of them (the
 * pipeline, onnxruntime, sharp and the native addon take seconds to load). To add a command, export
 * `command: CliCommand` from src/cli/commands/<name>.ts and add a row here.
 */
import type { CliCommand } from './command';

export interface CommandEntry {
  name: string;
  /** One line for `headforge --help`. */
  summary: string;
  load(): Promise<CliCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'generate',
    summary: 'generate a 3D Gaussian head from one portrait',
    load: async () => (await import('./commands/generate')).command,
  },
  {
    name: 'projects',
    summary: 'list the projects in the library, or show one',
    load: async () => (await import('./commands/projects')).command,
  },
  {
    name: 'serve',
    summary: 'browser mode: serve the studio on 127.0.0.1 and print its URL (with the access token)',
    load: async () => (await import('./commands/serve')).command,
  },
  {
    name: 'doctor',
    summary: 'check Node/Electron, onnxruntime providers, GPU, native addon, model packs, pipeline',
    load: async () => (await import('./commands/doctor')).command,
  },
  {
    name: 'models',
    summary: 'list installed model packs and head models, validate one, or import the ICT head model',
    load: async () => (await import('./commands/models')).command,
  },
  {
    name: 'convert',
    summary:
      'convert Gaussian splats between PLY, .splat, SPZ, GLB, compressed PLY, SOG (and write an HTML viewer), optionally for an engine preset',
    load: async () => (await import('./commands/convert')).command,
  },
  {
    name: 'info',
    summary: 'show a splat file: format, Gaussian count, SH degree, bounds, size',
    load: async () => (await import('./commands/info')).command,
  },
  {
    name: 'eval',
    summary: 'score the pipeline against ground-truth heads (PSNR, SSIM, CSIM, mask IoU)',
    load: async () => (await import('./commands/eval')).command,
  },
  {
    name: 'stylize',
    summary:
      'stylize a portrait (cel, pencil, painterly, or an ONNX style pack) or recolour a generated head',
    load: async () => (await import('./commands/stylize')).command,
  },
  {
    name: 'frontal',
    summary: 'predict the frontal portrait of a head from a profile/3-4 portrait, a run or a splat file',
    load: async () => (await import('./commands/frontal')).command,
  },
  {
    name: 'animate',
    summary: 'render a head to MP4/WebM/GIF/PNG sequence along a camera path, with optional expressions',
    load: async () => (await import('./commands/animate')).command,
  },
  {
    name: 'export-mesh',
    summary:
      "export a run's fitted head as a textured mesh (GLB with ARKit morph targets, or OBJ + MTL + PNG); no hair",
    load: async () => (await import('./commands/export-mesh')).command,
  },
  {
    name: 'batch',
    summary: 'make one head per portrait (and seed) of a folder, locally or on a farm (--queue)',
    load: async () => (await import('./commands/batch')).command,
  },
  {
    name: 'worker',
    summary: 'make heads for batches submitted with `headforge batch --queue` (one per machine of a farm)',
    load: async () => (await import('./commands/worker')).command,
  },
];
