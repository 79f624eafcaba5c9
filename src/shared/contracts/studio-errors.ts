/**
 * The one list of StudioApi error codes. Every rejected call carries one (transports keep it), so the
 * UI and the CLI react to the code, never to the message. The rpc layer refuses codes not listed here
 * (they arrive as INTERNAL); the renderer's hints and the CLI's exit statuses are keyed by this type.
 */
export const STUDIO_ERROR_CODES = {
  BAD_REQUEST: 'arguments failed schema validation (the message says which field), or the call is not allowed now',
  BAD_MESSAGE: 'a transport frame could not be decoded (the connection survives)',
  UNAUTHORIZED: 'WebSocket token missing or wrong (the connection is closed with WS_CLOSE_UNAUTHORIZED)',
  NOT_FOUND: 'unknown project / run / job id',
  PATH_ESCAPE: 'an id or asset path would leave the library',
  INVALID_IMAGE: 'bytes are not a decodable portrait (the message is a sentence for the artist)',
  DAMAGED: 'project.json or a run file is unreadable or invalid; it is left untouched',
  DISK_FULL: 'ENOSPC while writing; partial files removed',
  IO: 'other filesystem failure (permissions, unreadable folder)',
  PIPELINE_UNAVAILABLE: 'a stage the generate pipeline needs is not present (e.g. the native rasterizer is not built)',
  BACKEND_UNAVAILABLE: 'the requested model pack / execution provider is not present',
  CANCELLED: 'the job or request was cancelled',
  ENGINE_CRASHED: 'the engine process died while handling the call; it is being restarted',
  INTERNAL: 'anything else (a bug): see the engine log',
} as const;

export type StudioErrorCode = keyof typeof STUDIO_ERROR_CODES;

export function isStudioErrorCode(code: unknown): code is StudioErrorCode {
  return typeof code === 'string' && Object.hasOwn(STUDIO_ERROR_CODES, code);
}
