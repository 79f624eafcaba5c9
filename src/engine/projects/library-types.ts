/** What ProjectLibrary (library.ts) is given and hands back, besides the contract's types. */
import type { RunId } from '../../shared/contracts/studio-api';
import type { LibraryFs } from '../run-folder/atomic-write';
import type { RunFile } from './schema';

export interface ProjectLibraryOptions {
  root: string;
  /** Prefix of asset URLs: '/assets' in browser mode, the custom protocol's origin in Electron. */
  assetBaseUrl?: string;
  /** Filesystem operations for writes (tests inject ENOSPC etc.). */
  fs?: LibraryFs;
  /**
   * Told once per run whose run.json exists but cannot be used (invalid JSON or schema): the run is
   * left out of listings, its folder is kept untouched, and this reports it (the engine logs it).
   */
  onDamagedRun?: (damaged: DamagedRun) => void;
  /**
   * Looks for a face in an imported portrait (face-check.ts in the engine): true, false, or null when
   * it could not tell. A picture without a face is still imported (profiles and drawings run) but its
   * project carries NO_FACE_WARNING. Without this option nothing is checked.
   */
  findFace?: (bytes: Uint8Array) => Promise<boolean | null>;
}

/** A run folder whose run.json is unreadable: kept on disk, listed here instead of in `runs`. */
export interface DamagedRun {
  projectId: string;
  runId: string;
  reason: string;
}

/** A run just created by ProjectLibrary.createRun: where its files go and its run.json. */
export interface CreatedRun {
  runId: RunId;
  runDir: string;
  projectDir: string;
  inputPath: string;
  run: RunFile;
}
