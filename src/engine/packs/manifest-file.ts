/**
 * The name of a model pack's manifest, in a module without zod: finding packs (discover.ts) needs only
 * the name; reading and checking the manifest (manifest.ts, validate.ts) loads the schemas.
 */
export const PACK_MANIFEST_FILE = 'pack.json';
