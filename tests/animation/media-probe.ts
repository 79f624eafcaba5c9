/** ffprobe/ffmpeg helpers for the export tests (Debian's ffmpeg package; CI installs it). */
import { execFileSync } from 'node:child_process';

export function requireFfmpeg(): void {
  for (const bin of ['ffprobe', 'ffmpeg']) {
    try {
      execFileSync(bin, ['-version'], { stdio: 'ignore' });
    } catch {
      throw new Error(
        `${bin} not found: the animation export tests decode the videos with Debian's ffmpeg (apt-get install ffmpeg)`,
      );
    }
  }
}

export interface ProbedVideo {
  codec: string;
  width: number;
  height: number;
  frames: number;
  fps: number;
}

export function probeVideo(file: string): ProbedVideo {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,nb_read_frames,r_frame_rate',
    '-of',
    'json',
    file,
  ]).toString();
  const s = (JSON.parse(out) as { streams: Record<string, string | number>[] }).streams[0];
  const [num, den] = String(s.r_frame_rate).split('/').map(Number);
  return {
    codec: String(s.codec_name),
    width: Number(s.width),
    height: Number(s.height),
    frames: Number(s.nb_read_frames),
    fps: num / den,
  };
}

/** Every decoded frame as packed RGB bytes (width*height*3 each). */
export function decodeFrames(file: string, width: number, height: number): Uint8Array[] {
  const raw = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { maxBuffer: 1 << 30 },
  );
  const size = width * height * 3;
  const frames: Uint8Array[] = [];
  for (let o = 0; o + size <= raw.length; o += size)
    frames.push(new Uint8Array(raw.buffer, raw.byteOffset + o, size));
  return frames;
}

/** Mean absolute difference per channel value (0..255) between two equally sized byte images. */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, strideA = 3, strideB = 3): number {
  const n = a.length / strideA;
  let acc = 0;
  for (let p = 0; p < n; p++)
    for (let c = 0; c < 3; c++) acc += Math.abs(a[p * strideA + c] - b[p * strideB + c]);
  return acc / (n * 3);
}
