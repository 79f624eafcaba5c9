/**
 * The glTF loader's error (gltf-loader.ts) in a module of its own, so code that only classifies errors
 * (the CLI's exit codes) does not load the loader and the image reader (sharp) behind it.
 */
import path from 'node:path';

/** A glTF / GLB file that cannot be read, named by its file name (never a full path). */
export class GltfError extends Error {
  constructor(file: string, message: string) {
    super(`${path.basename(file)}: ${message}`);
    this.name = 'GltfError';
  }
}
