/**
 * What the importer reads from the ICT-FaceKit README.md (so that no index list of the kit is typed
 * into this repository): the Multi-PIE 68 landmark vertex indices and the vertex/polygon range tables
 * of the topology ("Geometry name | Vertex indices [a:b] | Polygon indices [c:d]", ends inclusive).
 */

export interface KitRange {
  /** Geometry name as written in the README ("Eye socket left"). */
  name: string;
  vertexFirst: number;
  vertexLast: number;
  faceFirst: number;
  faceLast: number;
}

/** All table rows of the README with a vertex range and a polygon range (every table, in order). */
export function parseKitRanges(readme: string): KitRange[] {
  const out: KitRange[] = [];
  const row = /^\|\s*[^|]*\|\s*([^|]+?)\s*\|\s*\[(\d+):(\d+)\]\s*\|\s*\[(\d+):(\d+)\]\s*\|/;
  for (const line of readme.split(/\r?\n/)) {
    const m = row.exec(line);
    if (!m) continue;
    out.push({ name: m[1], vertexFirst: +m[2], vertexLast: +m[3], faceFirst: +m[4], faceLast: +m[5] });
  }
  return out;
}

/**
 * The indented list of numbers that follows the paragraph containing `heading` (e.g.
 * "Multi-PIE 68 point facial landmarks indices"), or null when the README has no such paragraph.
 */
export function parseIndexListAfter(readme: string, heading: string): number[] | null {
  const at = readme.indexOf(heading);
  if (at < 0) return null;
  const lines = readme.slice(at + heading.length).split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const t = lines[i].trim();
    if (!t) continue;
    if (!/^\d+(\s*,\s*\d+)*\s*,?$/.test(t)) return null;
    return t
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number);
  }
  return null;
}

export const MULTI_PIE_68_HEADING = 'Multi-PIE 68 point facial landmarks indices';
