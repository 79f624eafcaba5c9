/**
 * The head fit's pose, checked across the views of a multi-view ground truth: each view of the folder
 * is preprocessed and the head model fitted to it on its own, with the ground truth's lens and
 * elevation stated (as `headforge eval` states them), and the fitted head's orientation is carried into the ground truth's
 * world through that view's camera. One head seen from several cameras has one orientation, so the
 * spread across views is the fit's pose error, with no other reference needed (docs/eval.md, "The
 * head fit's pose across views").
 *   HEADFORGE_HEAD_MODEL=../shared/head-models/ict-facekit \
 *     npx tsx scripts/pose-consistency.ts [GT_FOLDER]   (default ../shared/fixtures/gt/facelift-mvd-000)
 * Per view: the face detector's score (or the profile path), the fitted yaw / pitch / roll in that
 * camera, the landmark error, and in the world: the face's azimuth about the rig's up axis (0 = the
 * first camera's direction from the orbit centre) and the angle between the head's up and the rig's.
 * The fit's camera is the preprocessing crop's (optical axis through the crop centre), turned into
 * the ground-truth camera's frame by the ray through that centre.
 */
import path from 'node:path';
import { cameraCenter, type Vec3 } from '../src/shared/camera';
import { compositeOnWhite } from '../src/shared/image';
import { folderSubject } from '../src/engine/eval/folder-source';
import { portraitFovyDeg } from '../src/engine/eval/gt-rig';
import { angleDeg, cropElevationDeg, headAxesInRig, rigUp } from '../src/engine/eval/head-in-rig';
import { fitPortraitHead, runHeadModel } from '../src/engine/head-fit/run-head-model';
import { encodePng } from '../src/engine/image-io';
import { preprocessPortrait } from '../src/engine/preprocess/index';
import { portraitLens } from '../src/engine/preprocess/lens';

const DEG = 180 / Math.PI;

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const unit = (a: Vec3): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
};
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? '../shared/fixtures/gt/facelift-mvd-000');
  const hm = await runHeadModel();
  if (!hm.model) throw new Error(`no head model: ${hm.reason}`);
  const subject = await folderSubject(dir, { inputView: 0 });
  const cams = subject.views.map((v) => v.camera);
  const up = rigUp(cams);
  // Azimuth 0: the first camera's direction from the orbit centre, in the plane across `up`.
  const c0 = cameraCenter(cams[0]);
  const d0 = [c0[0] - subject.orbitCentre[0], c0[1] - subject.orbitCentre[1], c0[2] - subject.orbitCentre[2]] as Vec3;
  const e1 = unit([d0[0] - dot(d0, up) * up[0], d0[1] - dot(d0, up) * up[1], d0[2] - dot(d0, up) * up[2]]);
  const e2 = cross(up, e1);
  const rows: { label: string; az: number; tilt: number; headUp: Vec3; detected: boolean }[] = [];
  console.log('| view | face | fit | yaw / pitch / roll in the view | landmark error (IOD) | face azimuth in the world | head up vs rig up |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const v of subject.views) {
    const pre = await preprocessPortrait(await encodePng(compositeOnWhite(v.image, { keepAlpha: true })));
    const lens = portraitLens(pre, portraitFovyDeg(v.camera, v.image.height));
    const { framing } = pre;
    const crop = { scale: framing.scale, offsetX: framing.offsetX, offsetY: framing.offsetY, size: pre.image512.width };
    // The crop camera's elevation in the rig, stated to the fit as `headforge eval` states it.
    const fitted = fitPortraitHead(hm.model, pre, lens, cropElevationDeg(v.camera, crop, up));
    const face = pre.face ? `score ${pre.face.score.toFixed(2)}` : 'none';
    if (!fitted) {
      console.log(`| ${v.label} | ${face} | none | | | | |`);
      continue;
    }
    const f = fitted.fit;
    const { forward: fwd, up: headUp } = headAxesInRig(v.camera, crop, f.rotation);
    const az = Math.atan2(dot(fwd, e2), dot(fwd, e1)) * DEG;
    const tilt = angleDeg(headUp, up);
    rows.push({ label: v.label, az, tilt, headUp, detected: f.landmarkSource === 'detected' });
    console.log(
      `| ${v.label} | ${face} | ${f.landmarkSource} | ${f.yawDeg.toFixed(1)} / ${f.pitchDeg.toFixed(1)} / ${f.rollDeg.toFixed(1)} | ${(100 * f.meanErrorIod).toFixed(1)}% | ${az.toFixed(1)} | ${tilt.toFixed(1)} |`,
    );
  }
  const det = rows.filter((r) => r.detected);
  if (det.length >= 2) {
    const azs = det.map((r) => r.az);
    let spread = 0;
    for (const a of azs) for (const b of azs) spread = Math.max(spread, Math.abs(((a - b + 540) % 360) - 180));
    let upSpread = 0;
    for (const a of det) for (const b of det) upSpread = Math.max(upSpread, angleDeg(a.headUp, b.headUp));
    console.log(
      `\nviews with a detected face: ${det.map((r) => r.label).join(', ')}; face azimuth spread ${spread.toFixed(1)} deg, largest angle between the heads' up axes ${upSpread.toFixed(1)} deg, head up tilt ${Math.min(...det.map((r) => r.tilt)).toFixed(1)}..${Math.max(...det.map((r) => r.tilt)).toFixed(1)} deg`,
    );
  } else console.log('\nfewer than two views with a detected face: no spread to report');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
