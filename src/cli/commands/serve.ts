/**
 * `headforge serve [--port N] [--library DIR]` — browser mode: the built renderer, project assets and
 * the StudioApi WebSocket on 127.0.0.1, with the engine in a child process (restarted if it dies).
 */
import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from '../../engine/host/app-root';
import { EngineHost } from '../../engine/host/engine-host';
import { forkEngine } from '../../engine/host/engine-process';
import { createSessionLogger } from '../../engine/logging/logger';
import { ProjectLibrary } from '../../engine/projects/library';
import { defaultLibraryRoot, logsDir } from '../../engine/projects/paths';
import { startStudioServer } from '../../engine/server/studio-server';
import { EXIT, intFlag, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';

/**
 * What the page and the terminal say when there is no built renderer: the exact command, where to run it,
 * and that reloading the page is enough afterwards (the server looks for index.html on every request).
 */
export function rendererNotBuiltMessage(appDir: string, customDir: string | null): string {
  if (customDir)
    return `There is no index.html in ${customDir} (--renderer). Build the renderer there, or leave out --renderer and run \`npm run build\` in ${appDir}; then open or reload the page.`;
  return `The studio page is not built yet (a fresh \`npm install\` does not build it). Run \`npm run build\` in ${appDir} (about a minute), then open or reload the page; \`headforge serve\` can keep running.`;
}

export const command: CliCommand = {
  name: 'serve',
  usage: `headforge serve [--port N] [--library DIR] [--renderer DIR]

Serves the built renderer (out/renderer: run \`npm run build\` once after \`npm install\`), the project assets and the engine
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
    const custom = values.renderer !== undefined;
    const rendererMissingText = rendererNotBuiltMessage(appRoot(), custom ? rendererDir : null);
    let server;
    try {
      server = await startStudioServer({
        api: host,
        libraryRoot,
        rendererDir,
        rendererMissingText,
        port,
        logger,
      });
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
    // The page says it too, but the terminal is where a first-time user looks (issue 21).
    if (!fs.existsSync(path.join(rendererDir, 'index.html'))) writeLine(io.stderr, rendererMissingText);
    writeLine(io.stdout, 'Press Ctrl+C to stop.');
    await io.interrupted;
    writeLine(io.stderr, 'stopping…');
    await server.close();
    host.stop();
    return EXIT.ok;
  },
};
