/**
 * <out>/index.html: the batch's contact sheet, one row per head: the portrait, the head rendered from
 * the front, the side (83.5 deg) and the back, PSNR against its 16 views, CSIM (identity), time,
 * warnings and links to head.ply, the engine exports and the run folder. Inputs that were not
 * portraits and heads that failed come first, in red. One self-contained page with relative links,
 * so the out folder can be zipped, copied or served as is.
 */
import path from 'node:path';
import { writeFileAtomic } from '../pipeline/run-files';
import type { BatchSummary } from './summary';
import type { HeadResult } from './types';

export const CONTACT_SHEET_FILE = 'index.html';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function headRow(h: HeadResult): string {
  const f = h.files;
  const img = (src: string, alt: string): string =>
    `<td><img src="${esc(src)}" alt="${esc(alt)}" width="160" height="160" loading="lazy"></td>`;
  if (h.state !== 'done' || !f)
    return `<tr class="failed"><td colspan="4">${esc(h.inputName)} (seed ${h.seed})</td><td colspan="3" class="err">failed: ${esc(h.error ?? 'unknown error')}</td></tr>`;
  const links = [
    `<a href="${esc(f.headPly)}">head.ply</a>`,
    ...f.exports.map(
      (e) => `<a href="${esc(e.file)}">${esc(e.preset)} (${(e.bytes / 1e6).toFixed(1)} MB)</a>`,
    ),
    `<a href="${esc(f.folder)}">run folder</a>`,
  ];
  const num = (v: number | undefined, digits: number, unit = ''): string =>
    v === undefined ? '—' : `${v.toFixed(digits)}${unit}`;
  return `<tr>
${img(f.portrait, `portrait ${h.inputName}`)}${img(f.front, 'front')}${img(f.side, 'side')}${img(f.back, 'back')}
<td class="name"><b>${esc(h.inputName)}</b><br>seed ${h.seed}<br><small>${esc(h.id)}</small></td>
<td class="num">PSNR ${num(h.meanPsnr, 2, ' dB')}<br>CSIM ${num(h.csim, 3)}<br>${h.seconds.toFixed(1)} s${h.resumed ? ' (earlier call)' : ''}${h.worker ? `<br><small>${esc(h.worker)}${h.attempts && h.attempts > 1 ? `, attempt ${h.attempts}` : ''}</small>` : ''}</td>
<td>${h.warnings.length ? `<ul>${h.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '<span class="ok">no warnings</span>'}<p>${links.join(' · ')}</p></td>
</tr>`;
}

export function contactSheetHtml(s: BatchSummary): string {
  const t = s.totals;
  const bad = s.badInputs.length
    ? `<section class="bad"><h2>${s.badInputs.length} input${s.badInputs.length > 1 ? 's' : ''} skipped (not usable portraits)</h2><ul>${s.badInputs
        .map((b) => `<li><b>${esc(path.basename(b.path))}</b> ${esc(b.reason)}</li>`)
        .join('')}</ul></section>`
    : '';
  const failed = s.heads.filter((h) => h.state !== 'done');
  const fails = failed.length
    ? `<section class="bad"><h2>${failed.length} head${failed.length > 1 ? 's' : ''} failed</h2><ul>${failed
        .map((h) => `<li><b>${esc(h.inputName)}</b> seed ${h.seed}: ${esc(h.error ?? 'unknown error')}</li>`)
        .join('')}</ul></section>`
    : '';
  const st = s.settings;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>HeadForge batch — ${t.done} heads</title>
<style>
body{font:14px system-ui,sans-serif;margin:16px;background:#fafafa;color:#222}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}
td img{display:block;background:#fff;border:1px solid #ccc;object-fit:contain}
.num{white-space:nowrap}.bad{color:#b00020}.failed td{color:#b00020}.ok{color:#2e7d32}.name{max-width:180px;word-break:break-all}
ul{margin:0;padding-left:18px}small{color:#666}
</style></head><body>
<h1>HeadForge batch</h1>
<p>${t.done} of ${t.heads} heads done${t.resumed ? ` (${t.resumed} from earlier calls)` : ''}, ${t.failed} failed, ${t.badInputs} inputs skipped ·
quality ${esc(st.quality)}${st.steps !== undefined ? ` (${st.steps} steps)` : ''} · seeds ${s.seeds.join(', ')} · elevation ${esc(String(st.elevationDeg))} ·
exports ${st.presets.length ? esc(st.presets.join(', ')) : 'none (head.ply only)'} · engine ${esc(s.engine)} · ${esc(s.finishedAt)}</p>
${bad}${fails}
<table><thead><tr><th>portrait</th><th>front</th><th>side</th><th>back</th><th>head</th><th>scores, time</th><th>warnings, files</th></tr></thead>
<tbody>
${s.heads.map(headRow).join('\n')}
</tbody></table>
<p><a href="batch.json">batch.json</a></p>
</body></html>
`;
}

export async function writeContactSheet(outRoot: string, summary: BatchSummary): Promise<string> {
  const file = path.join(outRoot, CONTACT_SHEET_FILE);
  await writeFileAtomic(file, contactSheetHtml(summary));
  return file;
}
