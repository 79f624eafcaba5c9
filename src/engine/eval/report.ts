/**
 * Report files of `headforge eval`: report.json (for scripts), report.md (Table 1 style mean +- std,
 * per-subject and per-view tables) and one contact sheet PNG per subject.
 *
 * Contact sheet layout: 4 rows x V columns of square tiles (TILE px), columns in view order:
 *   row 0 ground truth, row 1 generated multi-view image nearest that camera, row 2 head render at the
 *   mapped camera (unaligned), row 3 |GT - render| on white (white = equal, red = differs; x2 gain).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { createRgba, type RgbaImage } from '../../shared/image';
import { compositeOnWhite } from '../../shared/metrics/alignment';
import { encodePng, gridImage } from '../image-io';
import type { EvalReport, MeanStd, MetricSummary, SubjectReport } from './types';
import { LPIPS_NOTE } from './view-scores';

export const TILE = 128;

async function resizeTo(img: RgbaImage, size: number): Promise<RgbaImage> {
  if (img.width === size && img.height === size) return img;
  const { data, info } = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .resize(size, size, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 1 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** Per-pixel |a - b| (mean over RGB, both on white) as a white-to-red map with gain 2. */
export function differenceImage(gt: RgbaImage, render: RgbaImage): RgbaImage {
  const a = compositeOnWhite(gt);
  const b = compositeOnWhite(render);
  const out = createRgba(gt.width, gt.height);
  for (let i = 0; i < a.data.length; i += 4) {
    const d =
      (Math.abs(a.data[i] - b.data[i]) +
        Math.abs(a.data[i + 1] - b.data[i + 1]) +
        Math.abs(a.data[i + 2] - b.data[i + 2])) /
      (3 * 255);
    const k = Math.round(255 * Math.max(0, 1 - 2 * d));
    out.data.set([255, k, k, 255], i);
  }
  return out;
}

export interface ContactColumn {
  gt: RgbaImage;
  generated: RgbaImage | null;
  render: RgbaImage;
}

export async function contactSheet(columns: ContactColumn[]): Promise<RgbaImage> {
  const blank = createRgba(TILE, TILE, [235, 235, 235, 255]);
  const rows: RgbaImage[][] = [[], [], [], []];
  for (const c of columns) {
    rows[0].push(await resizeTo(compositeOnWhite(c.gt), TILE));
    rows[1].push(c.generated ? await resizeTo(compositeOnWhite(c.generated), TILE) : blank);
    rows[2].push(await resizeTo(compositeOnWhite(c.render), TILE));
    rows[3].push(await resizeTo(differenceImage(c.gt, c.render), TILE));
  }
  return gridImage(rows.flat(), columns.length, [255, 255, 255, 255]);
}

export async function writeContactSheet(file: string, columns: ContactColumn[]): Promise<void> {
  await fs.writeFile(file, await encodePng(await contactSheet(columns)));
}

function fmt(m: MeanStd, digits: number): string {
  return m.mean === null || m.std === null ? 'n/a' : `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}`;
}

function summaryRow(label: string, s: MetricSummary): string {
  return `| ${label} | ${fmt(s.psnr, 2)} | ${fmt(s.ssim, 4)} | ${fmt(s.csim, 4)} (${s.csim.n}) | ${fmt(s.maskIoU, 4)} | ${fmt(s.lpips, 4)} |`;
}

const HEADER = [
  '| | PSNR (dB) ↑ | SSIM ↑ | CSIM ↑ (views) | mask IoU ↑ | LPIPS ↓ |',
  '|---|---|---|---|---|---|',
];

export function markdownReport(report: EvalReport): string {
  const lines: string[] = [
    '# headforge eval',
    '',
    `${report.createdAt} · ${report.subjects.length} subject(s) · ${report.protocol.views} views each · background ${report.protocol.background}`,
    '',
    `Alignment: ${report.protocol.alignment}. LPIPS: ${report.protocol.lpips}. Mean ± std across subjects' means; CSIM over views where a face is detected in both images.`,
    '',
    '## Overall',
    '',
    ...HEADER,
    summaryRow('unaligned', report.overall.unaligned),
    ...(report.overall.framed
      ? [summaryRow('framed (unaligned, pipeline frame)', report.overall.framed)]
      : []),
    summaryRow('aligned', report.overall.aligned),
    '',
  ];
  for (const s of report.subjects) lines.push(...subjectSection(s));
  return lines.join('\n') + '\n';
}

function headlineLines(s: SubjectReport): string[] {
  if (!s.headline) return [];
  const v = s.headline.scores;
  return [
    `**${s.protocol}**: input ${s.inputView}, scored against ${s.headline.view}: CSIM ${v.csim === null ? `n/a (${v.csimNote ?? ''})` : v.csim.toFixed(4)} · unaligned PSNR ${v.unaligned.psnr.toFixed(2)} dB, SSIM ${v.unaligned.ssim.toFixed(4)}, mask IoU ${v.unaligned.maskIoU.toFixed(4)} · aligned PSNR ${v.aligned.psnr.toFixed(2)} dB, SSIM ${v.aligned.ssim.toFixed(4)}, mask IoU ${v.aligned.maskIoU.toFixed(4)}`,
    '',
  ];
}

function mappingLine(s: SubjectReport): string {
  const m = s.mapping;
  const c = m.crop;
  return `Cameras mapped through the input view: crop = (portrait − (${c.offsetX.toFixed(1)}, ${c.offsetY.toFixed(1)})) × ${c.scale.toFixed(4)} at ${c.size} px (${m.cropSource}); crop centre at GT pixel (${m.headPixel[0].toFixed(1)}, ${m.headPixel[1].toFixed(1)}), ${m.offAxisDeg.toFixed(2)}° off axis; GT → pipeline scale ${m.scale.toPrecision(4)}; pipeline input camera azimuth ${m.pipelineCamera.azimuthDeg.toFixed(1)}°, elevation ${m.pipelineCamera.elevationDeg.toFixed(1)}°, fovy ${m.pipelineCamera.fovyDeg.toFixed(1)}°, distance ${m.pipelineCamera.distance.toFixed(3)}`;
}

function subjectSection(s: SubjectReport): string[] {
  const st = s.settings;
  return [
    `## ${s.name}`,
    '',
    `${s.kind} ground truth \`${s.source}\` · input view ${s.inputView} · elevation GT ${s.elevationDeg.groundTruth === null ? 'unknown' : s.elevationDeg.groundTruth.toFixed(1)} deg, pipeline ${s.elevationDeg.usedByPipeline.toFixed(1)} deg · backend ${st.backend}, seed ${st.seed}, quality ${st.quality}${st.steps !== undefined ? `, ${st.steps} steps` : ''}`,
    `pipeline ${s.timings.pipelineS.toFixed(1)} s, harness ${s.timings.harnessS.toFixed(1)} s · run \`${s.runDir}\` · contact sheet \`${s.contactSheet}\` (rows: ground truth, generated view, head render at the mapped camera (unaligned), difference)`,
    '',
    mappingLine(s),
    '',
    ...(s.inputCrop
      ? [
          `The head at the run's own input camera against its crop (no ruler involved): PSNR ${s.inputCrop.psnr.toFixed(2)} dB, SSIM ${s.inputCrop.ssim.toFixed(4)}, mask IoU ${s.inputCrop.maskIoU.toFixed(4)}`,
          '',
        ]
      : []),
    ...(s.headFit
      ? [
          `Head fit (head-fit.json): yaw ${s.headFit.yawDeg.toFixed(1)}, pitch ${s.headFit.pitchDeg.toFixed(1)}, roll ${s.headFit.rollDeg.toFixed(1)} deg; the head's nod in the world ${s.headFit.nodDeg.toFixed(1)} deg (pitch less the pipeline's elevation); crop field of view ${s.headFit.cropFovyDeg.toFixed(1)} deg (${s.headFit.lensSource}); landmark error ${(100 * s.headFit.meanErrorIod).toFixed(1)}% of the eye distance`,
          '',
        ]
      : []),
    ...headlineLines(s),
    ...HEADER,
    summaryRow('unaligned', s.summary.unaligned),
    ...(s.summary.framed ? [summaryRow('framed (unaligned, pipeline frame)', s.summary.framed)] : []),
    summaryRow('aligned', s.summary.aligned),
    '',
    '| view | PSNR unal. | SSIM unal. | IoU unal. | PSNR fr. | SSIM fr. | IoU fr. | PSNR al. | SSIM al. | IoU al. | CSIM | align scale |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...s.views.map((v) => {
      const fr = v.framed
        ? `${v.framed.psnr.toFixed(2)} | ${v.framed.ssim.toFixed(4)} | ${v.framed.maskIoU.toFixed(4)}`
        : '– | – | –';
      return `| ${v.label} | ${v.unaligned.psnr.toFixed(2)} | ${v.unaligned.ssim.toFixed(4)} | ${v.unaligned.maskIoU.toFixed(4)} | ${fr} | ${v.aligned.psnr.toFixed(2)} | ${v.aligned.ssim.toFixed(4)} | ${v.aligned.maskIoU.toFixed(4)} | ${v.csim === null ? '–' : v.csim.toFixed(4)} | ${v.alignment.applied ? v.alignment.scale.toFixed(3) : '–'} |`;
    }),
    '',
    ...(s.warnings.length ? ['Warnings:', '', ...s.warnings.map((w) => `- ${w}`), ''] : []),
  ];
}

export async function writeReport(
  outDir: string,
  report: EvalReport,
): Promise<{ json: string; markdown: string }> {
  await fs.mkdir(outDir, { recursive: true });
  const json = path.join(outDir, 'report.json');
  const markdown = path.join(outDir, 'report.md');
  await fs.writeFile(json, JSON.stringify(report, null, 2) + '\n');
  await fs.writeFile(markdown, markdownReport(report));
  return { json, markdown };
}

export const PROTOCOL_DESCRIPTION = {
  alignment:
    "unaligned: the whole GT frame, head rendered at the GT camera mapped through the input view; framed: unaligned, inside the part of each view the pipeline's view framing covers (the input view: the preprocessing crop); aligned (diagnosis): head render scaled uniformly and shifted so its silhouette bounding box matches the ground truth's",
  background: 'white (both images composited on white)',
  metrics: ['psnr', 'ssim', 'csim', 'maskIoU', 'lpips'],
  lpips: LPIPS_NOTE,
};
