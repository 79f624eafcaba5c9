/** `headforge projects [list|show <id>] [--library DIR] [--json]` — the project library from the terminal. */
import type { ProjectSummary } from '../../shared/contracts/studio-api';
import { ProjectLibrary } from '../../engine/projects/library';
import { defaultLibraryRoot } from '../../engine/projects/paths';
import { EXIT, UsageError, parseCommandArgs, writeLine, type CliCommand } from '../command';

export const command: CliCommand = {
  name: 'projects',
  usage: `headforge projects [list] [--library DIR] [--json]
headforge projects show <project-id> [--library DIR] [--json]

The library is --library, else $HEADFORGE_LIBRARY, else ~/.headforge/library.
Damaged projects (unreadable project.json) are listed with the reason; they are never modified.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      library: { type: 'string' },
      json: { type: 'boolean' },
    });
    const library = new ProjectLibrary({
      root: defaultLibraryRoot((values.library as string | undefined) ?? null),
    });
    const [sub = 'list', id, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (sub === 'list') {
      if (id)
        throw new UsageError('`projects list` takes no project id (did you mean `projects show <id>`?)');
      const projects = await library.list();
      if (values.json) writeLine(io.stdout, JSON.stringify(projects, null, 2));
      else printList(projects, library.root, io.stdout);
      return EXIT.ok;
    }
    if (sub === 'show') {
      if (!id) throw new UsageError('`projects show` needs a project id');
      const detail = await library.get(id);
      if (values.json) {
        writeLine(io.stdout, JSON.stringify(detail, null, 2));
        return EXIT.ok;
      }
      writeLine(
        io.stdout,
        `${detail.name}  (${detail.id})  ${detail.status === 'ok' ? '' : `DAMAGED: ${detail.damage}`}`,
      );
      writeLine(
        io.stdout,
        `created ${detail.createdAt}, updated ${detail.updatedAt}, ${detail.runs.length} run(s)`,
      );
      for (const run of detail.runs) {
        const s = run.settings;
        writeLine(
          io.stdout,
          `  ${run.id}  ${run.state.padEnd(9)} seed ${s.seed}, elevation ${s.elevationDeg}, ${s.quality}, ${s.backend}${run.error ? `  — ${run.error}` : ''}`,
        );
      }
      for (const d of await library.damagedRuns(detail.id))
        writeLine(io.stdout, `  ${d.runId}  DAMAGED   ${d.reason} (folder kept, not listed in the studio)`);
      return EXIT.ok;
    }
    throw new UsageError(`unknown subcommand "${sub}" (use list or show)`);
  },
};

function printList(projects: ProjectSummary[], root: string, out: NodeJS.WritableStream): void {
  if (projects.length === 0) {
    writeLine(out, `No projects in ${root}. Create one with: headforge generate <portrait>`);
    return;
  }
  writeLine(out, `${projects.length} project(s) in ${root}:`);
  for (const p of projects) {
    const state =
      p.status === 'damaged'
        ? `DAMAGED: ${p.damage}`
        : `${p.runCount} run(s)${p.lastRunState ? `, last ${p.lastRunState}` : ''}`;
    writeLine(
      out,
      `  ${p.id.padEnd(28)} ${p.name.slice(0, 30).padEnd(30)} ${p.updatedAt.slice(0, 19).replace('T', ' ')}  ${state}`,
    );
  }
}
