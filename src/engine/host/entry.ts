/**
 * Engine process entry. Started by the host as a child: node:child_process fork (through tsx) in the
 * CLI and browser mode, or an Electron utilityProcess of the built bundle. Configuration by env:
 *   HEADFORGE_LIBRARY     library root (required in practice; default ~/.headforge/library)
 *   HEADFORGE_ASSET_BASE  prefix of asset URLs (default '/assets'; Electron passes its protocol origin)
 */
import { serveRpc } from '../../shared/rpc/server';
import { parentChannel } from './channels';
import { dispatchHandler } from './dispatch';
import { Engine } from './engine';
import { createSessionLogger } from '../logging/logger';
import { defaultLibraryRoot, logsDir } from '../projects/paths';

// Attach to the parent first (frames are queued on the parent side until we announce readiness).
const channel = parentChannel();
const libraryRoot = defaultLibraryRoot(process.env.HEADFORGE_LIBRARY);
const logger = createSessionLogger({ dir: logsDir(libraryRoot), pid: process.pid });

process.on('uncaughtException', (err) => {
  logger.error('uncaught exception, engine exiting', err);
  process.stderr.write(`engine: uncaught exception: ${err.stack ?? err.message}\n`);
  process.exit(70);
});
process.on('unhandledRejection', (err) => logger.error('unhandled rejection', err));
// When the host dies (even kill -9) our inherited stdout/stderr pipes close: a later write must not
// become an uncaught EPIPE, and the engine leaves as soon as its event loop sees the IPC close, even if
// the engine's own shutdown hangs on a job (issue 20).
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
process.on('disconnect', () => setTimeout(() => process.exit(0), 2000).unref());

// No top-level await: the Electron bundle of this entry may be CommonJS.
void (async () => {
  try {
    const engine = await Engine.create({
      libraryRoot,
      assetBaseUrl: process.env.HEADFORGE_ASSET_BASE || undefined,
      logger,
    });
    serveRpc(channel, dispatchHandler(engine));
    channel.onClose(() => {
      logger.info('host disconnected; engine exiting');
      engine.shutdown('host disconnected');
      setTimeout(() => process.exit(0), 200).unref();
    });
    logger.info(`engine serving library ${libraryRoot}`);
  } catch (err) {
    logger.error('engine failed to start', err);
    process.stderr.write(`engine: cannot start: ${(err as Error).message}\n`);
    process.exit(78);
  }
})();
