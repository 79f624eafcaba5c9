/**
 * Start the engine in an Electron utilityProcess (a Node child owning onnxruntime, sharp, the native
 * rasterizer and the project files), so a crash or out-of-memory never takes the window down.
 * Crash handling, restarts and failing the running job are the engine host's job
 * (src/engine/host/engine-host.ts); this file only supplies the Electron way of spawning it.
 */
import { utilityProcess } from 'electron';
import { EngineHost } from '../engine/host/engine-host';
import { utilityEngineProcess } from '../engine/host/engine-process';
import { ASSET_BASE_URL } from './csp';

export function startEngineHost(entry: string, libraryRoot: string): EngineHost {
  return new EngineHost({
    libraryRoot,
    spawn: () =>
      utilityEngineProcess(
        utilityProcess.fork(entry, [], {
          serviceName: 'HeadForge engine',
          stdio: 'inherit',
          env: { ...process.env, HEADFORGE_LIBRARY: libraryRoot, HEADFORGE_ASSET_BASE: ASSET_BASE_URL },
        }),
      ),
  });
}
