/**
 * gaussian-splats-3d's addSplatScene returns its own AbortablePromise, not a native one. Its then()
 * takes only a success callback, so `await viewer.addSplatScene(...)` never settles when the load
 * fails (a 404, a dispose that aborts the download, a file it cannot parse): the awaiting code hangs
 * and the failure escapes as an unhandled rejection, a page error. The native promise underneath is
 * its `promise` field, read here straight after the call (the library's then/catch replace that field
 * with a longer chain, so it is only the load's own promise until someone chains on it).
 */
export interface AbortableLoad {
  promise: Promise<void>;
  abort(reason?: unknown): void;
}

/** The load as a native promise that rejects with the library's error when the load fails. */
export function settledLoad(load: AbortableLoad | Promise<void>): Promise<void> {
  if (load instanceof Promise) return load;
  if (!(load?.promise instanceof Promise))
    return Promise.reject(new Error('The viewer did not start a load.'));
  return load.promise;
}
