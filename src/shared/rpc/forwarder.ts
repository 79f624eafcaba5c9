/**
 * The parent side of a process boundary as a base class: every StudioApi method, generated from the
 * contract table, hands its name and arguments to the `forward` function given to the constructor
 * (EngineHost relays them to the engine process). A method added to the table is forwarded with no
 * code here or in the subclass.
 */
import { STUDIO_METHODS, type StudioCalls, type StudioMethod } from '../contracts/studio-api';

/** Send one call across the boundary; resolves with the method's result. */
export type ForwardFn = (method: StudioMethod, args: unknown[]) => Promise<unknown>;

class Forwarder {
  constructor(private readonly forwardCall: ForwardFn) {}
}

for (const method of STUDIO_METHODS) {
  Object.defineProperty(Forwarder.prototype, method, {
    value(this: { forwardCall: ForwardFn }, ...args: unknown[]) {
      return this.forwardCall(method, args);
    },
    writable: true,
    configurable: true,
  });
}

/** Extend this (super(forward)) to get every StudioApi call as a method. */
export const StudioForwarder = Forwarder as unknown as new (forward: ForwardFn) => StudioCalls;
