/**
 * The Animate dialog's custom camera path as text: one keyframe per line, "time azimuth elevation"
 * (seconds, degrees, degrees; spaces or commas), times strictly increasing. Parsed here so a typo is
 * reported on its line before anything is sent to the engine.
 */
export interface TextKeyframe {
  timeS: number;
  azimuthDeg: number;
  elevationDeg: number;
}

export type ParsedKeyframes = { ok: true; keyframes: TextKeyframe[] } | { ok: false; error: string };

export function parseKeyframes(text: string): ParsedKeyframes {
  const keyframes: TextKeyframe[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const parts = line.split(/[\s,]+/).map(Number);
    if (parts.length !== 3 || parts.some((v) => !Number.isFinite(v)))
      return { ok: false, error: `line ${i + 1}: expected three numbers "time azimuth elevation", got "${line}"` };
    const [timeS, azimuthDeg, elevationDeg] = parts;
    if (timeS < 0) return { ok: false, error: `line ${i + 1}: time must be >= 0` };
    if (Math.abs(elevationDeg) > 89) return { ok: false, error: `line ${i + 1}: elevation must be within ±89 degrees` };
    const prev = keyframes[keyframes.length - 1];
    if (prev && !(timeS > prev.timeS)) return { ok: false, error: `line ${i + 1}: times must increase (${timeS} s after ${prev.timeS} s)` };
    keyframes.push({ timeS, azimuthDeg, elevationDeg });
  }
  if (keyframes.length === 0) return { ok: false, error: 'add at least one keyframe' };
  return { ok: true, keyframes };
}
