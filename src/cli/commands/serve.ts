/**
 * `headforge serve [--port N] [--library DIR]` — browser mode: the built renderer, project assets and
 * the StudioApi WebSocket on 127.0.0.1, with the engine in a child process (restarted if it dies).
 */
import path from 'node:path';
import { appRoot } from '../../engine/host/app-root';
import { EngineHost } from '../../engine/host/engine-host';
import { forkEngine } from '../../engine/host/engine-process';
import { createSessionLogger } from '../../engine/logging/logger';
import { ProjectLibrary } from '../../engine/projects/library';
import { defaultLibraryRoot, logsDir } from '../../engine/projects/paths';
import { startStudioServer } from '../../engine/server/studio-server';
import { EXIT, intFlag, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';

export const command: CliCommand = {
  name: 'serve',
  summary: 'browser mode: serve the studio on 127.0.0.1 and print its URL (with the access token)',
  usage: `headforge serve [--port N] [--library DIR] [--renderer DIR]

Serves the built renderer (out/renderer; run \`npm run build\` first), the project assets and the engine
WebSocket on 127.0.0.1 only. Open the printed URL: it carries a random per-launch token. Ctrl+C stops.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      { port: { type: 'string' }, library: { type: 'string' }, renderer: { type: 'string' } },
      false,
    );
    const port = intFlag(values.port, 'port') ?? 0;
    if (port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
    const libraryRoot = defaultLibraryRoot((values.library as string | undefined) ?? null);
    await new ProjectLibrary({ root: libraryRoot }).init();
    const logger = createSessionLogger({ dir: logsDir(libraryRoot), name: 'serve' });
    const host = new EngineHost({ libraryRoot, logger, spawn: () => forkEngine({ libraryRoot }) });
    host.onEvent((e) => {
      if (e.type === 'engine-restarted') writeLine(io.stderr, `engine restarted after a crash: ${e.reason}`);
    });
    const rendererDir = path.resolve(
      (values.renderer as string | undefined) ?? path.join(appRoot(), 'out', 'renderer'),
    );
    let server;
    try {
      server = await startStudioServer({ api: host, libraryRoot, rendererDir, port, logger });
    } catch (err) {
      host.stop();
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE')
        throw new UsageError(`port ${port} is already in use; pick another with --port`);
      throw err;
    }
    writeLine(io.stdout, `HeadForge studio (browser mode) for library ${libraryRoot}`);
    writeLine(io.stdout, `Open: ${server.pageUrl}`);
    writeLine(io.stdout, `Log:  ${logger.file}`);
    writeLine(io.stdout, 'Press Ctrl+C to stop.');
    await io.interrupted;
    writeLine(io.stderr, 'stopping…');
    await server.close();
    host.stop();
    return EXIT.ok;
  },
};
