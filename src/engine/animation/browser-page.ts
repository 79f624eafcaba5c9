/**
 * The page that encodes inside headless Chromium: WebCodecs does the encoding, mediabunny muxes.
 * It pulls raw RGBA frames from the Node side over HTTP (GET /frame/<i>, width*height*4 bytes,
 * opaque), reports progress through an exposed function, and POSTs the finished file to /result.
 */
export const ENCODER_PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>headforge encoder</title></head><body>
<script type="module">
import { Output, Mp4OutputFormat, WebMOutputFormat, BufferTarget, VideoSampleSource, VideoSample } from '/mediabunny.mjs';
window.encodeClip = async (cfg) => {
  const format = cfg.container === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat();
  const output = new Output({ format, target: new BufferTarget() });
  const source = new VideoSampleSource({ codec: cfg.codec, bitrate: cfg.bitrate, keyFrameInterval: cfg.keyFrameIntervalS });
  output.addVideoTrack(source, { frameRate: cfg.fps });
  await output.start();
  for (let i = 0; i < cfg.frameCount; i++) {
    const res = await fetch('/frame/' + i);
    if (!res.ok) throw new Error('frame ' + i + ': HTTP ' + res.status + ' ' + (await res.text()));
    const bytes = new Uint8Array(await res.arrayBuffer());
    const sample = new VideoSample(bytes, {
      format: 'RGBA', codedWidth: cfg.width, codedHeight: cfg.height,
      timestamp: i / cfg.fps, duration: 1 / cfg.fps,
    });
    await source.add(sample);
    sample.close();
    await window.headforgeProgress(i + 1);
  }
  await output.finalize();
  const buf = output.target.buffer;
  const post = await fetch('/result', { method: 'POST', body: buf });
  if (!post.ok) throw new Error('result upload failed: HTTP ' + post.status);
  return buf.byteLength;
};
window.encoderReady = true;
</script></body></html>`;
