/**
 * The elevation sweep of docs/eval.md: a textured test head (tests/eval/helpers/test-head.ts) rendered
 * as ground truth at several camera elevations, each scored with `headforge eval`, and the issue's
 * bars checked (unaligned mask IoU >= 0.85 at every elevation, PSNR within 1.5 dB of elevation 0).
 *   npx tsx scripts/elevation-sweep.ts [--shape landmark|fitted] [--portrait FILE] [--quality Q]
 *     [--elevations=-10,0,20,40] [--elevation gt|auto] [--lens gt|auto] [--out DIR] [--gt-glb FILE]
 *     (a list that starts with a minus sign needs the = form)
 * --shape fitted builds the ground truth on the ICT head model in ../shared (a real head's skull,
 * ears and neck); the pipeline uses whatever head model its environment names
 * ($HEADFORGE_HEAD_MODEL), as `headforge eval` would. Writes DIR/e<E>/ (each eval's report) and
 * DIR/sweep.md (the table, also printed).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, testHeadGlb } from '../tests/eval/helpers/test-head';

const { values } = parseArgs({
  options: {
    shape: { type: 'string', default: 'landmark' },
    portrait: { type: 'string', default: 'hq-0002-matted-rgba.png' },
    quality: { type: 'string', default: 'draft' },
    elevations: { type: 'string', default: '-10,0,20,40' },
    elevation: { type: 'string', default: 'gt' },
    lens: { type: 'string', default: 'gt' },
    out: { type: 'string', default: path.join(repoRoot, 'test-output', 'elevation-sweep') },
    'gt-glb': { type: 'string' },
  },
});
const IOU_BAR = 0.85;
const PSNR_SPREAD_BAR = 1.5;

interface Row {
  elevation: number;
  psnr: number;
  iou: number;
  ssim: number;
  worstIou: number;
  /** Elevation the pipeline used (the ground truth's, or its own estimate with --elevation auto). */
  pipelineElevation: number;
  /** The input camera's crop field of view the pipeline used (the stated lens, or its fit's estimate with --lens auto). */
  pipelineFovy: number;
  /**
   * The fitted head's pitch less the elevation the pipeline used (the report's headFit.nodDeg): the
   * head's nod in the world (the test head is level, so anything but 0 is the fit's; 0 by
   * construction with --elevation auto). NaN without a head fit.
   */
  nodDeg: number;
}

async function main(): Promise<void> {
  const shape = values.shape === 'fitted' ? 'fitted' : 'landmark';
  // --gt-glb holds the ground truth fixed across code changes: the test head is built by this
  // pipeline, so a change to the head builder changes it too.
  const glb = values['gt-glb'] ? path.resolve(values['gt-glb']) : await testHeadGlb(shape, values.portrait!);
  const elevations = values.elevations!.split(',').map(Number);
  if (elevations.some((e) => !Number.isFinite(e))) throw new Error(`--elevations must be numbers, got ${values.elevations}`);
  fs.mkdirSync(values.out!, { recursive: true });
  const rows: Row[] = [];
  for (const e of elevations) {
    const out = path.join(values.out!, `e${e}`);
    fs.rmSync(out, { recursive: true, force: true });
    const args = ['bin/headforge.mjs', 'eval', '--gt', glb, `--gt-elevation=${e}`, '--elevation', values.elevation!, '--lens', values.lens!, '--quality', values.quality!, '--out', out];
    const t0 = Date.now();
    const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`eval at elevation ${e} failed (exit ${r.status})`);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    const subject = report.subjects[0];
    const u = report.overall.unaligned;
    const ious = subject.views.map((v: { unaligned: { maskIoU: number } }) => v.unaligned.maskIoU);
    rows.push({
      elevation: e,
      psnr: u.psnr.mean,
      iou: u.maskIoU.mean,
      ssim: u.ssim.mean,
      worstIou: Math.min(...ious),
      pipelineElevation: subject.elevationDeg?.usedByPipeline ?? NaN,
      pipelineFovy: subject.mapping?.pipelineCamera?.fovyDeg ?? NaN,
      nodDeg: subject.headFit?.nodDeg ?? NaN,
    });
    console.error(`elevation ${e}: ${((Date.now() - t0) / 1000).toFixed(0)} s, PSNR ${u.psnr.mean.toFixed(2)}, IoU ${u.maskIoU.mean.toFixed(3)}`);
  }
  const ref = rows.find((r) => r.elevation === 0)?.psnr;
  const lines = [
    `Elevation sweep: ${values['gt-glb'] ? `ground truth ${values['gt-glb']}` : `${shape} test head of ${values.portrait}`}, quality ${values.quality}, pipeline elevation ${values.elevation}, lens ${values.lens}; bars: unaligned IoU >= ${IOU_BAR}, PSNR within ${PSNR_SPREAD_BAR} dB of elevation 0`,
    '',
    '| GT elevation | pipeline elevation | pipeline crop fovy | head nod (fitted pitch - elevation) | unaligned PSNR | vs 0 | SSIM | mask IoU (worst view) | bars |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const d = ref === undefined ? NaN : r.psnr - ref;
      // Without elevation 0 in the sweep the PSNR bar cannot be judged: only the IoU bar is.
      const verdict =
        r.iou < IOU_BAR || Math.abs(d) > PSNR_SPREAD_BAR ? 'not met' : Number.isNaN(d) ? 'IoU met; PSNR needs elevation 0' : 'met';
      return `| ${r.elevation} | ${r.pipelineElevation.toFixed(1)} | ${r.pipelineFovy.toFixed(1)} | ${Number.isNaN(r.nodDeg) ? '-' : r.nodDeg.toFixed(1)} | ${r.psnr.toFixed(2)} | ${Number.isNaN(d) ? '-' : d.toFixed(2)} | ${r.ssim.toFixed(3)} | ${r.iou.toFixed(3)} (${r.worstIou.toFixed(3)}) | ${verdict} |`;
    }),
  ];
  fs.writeFileSync(path.join(values.out!, 'sweep.md'), lines.join('\n') + '\n');
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
