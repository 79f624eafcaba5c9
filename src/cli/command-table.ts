/**
 * The CLI's commands: each row of command-list.mjs (name and --help line) with the loader of its module.
 * A module is imported only when its command runs (the pipeline, onnxruntime, sharp and the native addon
 * take seconds to load). To add a command, export `command: CliCommand` from
 * src/cli/commands/<name>.ts, add its row to command-list.mjs and its loader here.
 */
import type { CliCommand } from './command';
import { COMMAND_LIST } from './command-list.mjs';

export interface CommandEntry {
  name: string;
  /** One line for `headforge --help`. */
  summary: string;
  load(): Promise<CliCommand>;
}

const LOADERS: Record<string, () => Promise<CliCommand>> = {
  generate: async () => (await import('./commands/generate')).command,
  projects: async () => (await import('./commands/projects')).command,
  serve: async () => (await import('./commands/serve')).command,
  doctor: async () => (await import('./commands/doctor')).command,
  models: async () => (await import('./commands/models')).command,
  convert: async () => (await import('./commands/convert')).command,
  info: async () => (await import('./commands/info')).command,
  eval: async () => (await import('./commands/eval')).command,
  stylize: async () => (await import('./commands/stylize')).command,
  frontal: async () => (await import('./commands/frontal')).command,
  animate: async () => (await import('./commands/animate')).command,
  'export-mesh': async () => (await import('./commands/export-mesh')).command,
  batch: async () => (await import('./commands/batch')).command,
  worker: async () => (await import('./commands/worker')).command,
};

export const COMMANDS: readonly CommandEntry[] = COMMAND_LIST.map((c) => {
  const load = LOADERS[c.name];
  if (!load) throw new Error(`command-list.mjs names '${c.name}' but command-table.ts has no loader for it`);
  return { ...c, load };
});
