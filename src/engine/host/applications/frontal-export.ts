/**
 * Frontal view export: a finished run's head rendered from its own front (the azimuth where the
 * preprocessing's landmark model sees the smallest |yaw|, src/engine/frontal), written as
 * exports/frontal-<size>px.png of that run.
 */
import fs from 'node:fs/promises';
import { encodePng } from '../../image-io';
import { faceYawDetector, frontalFromCloud, loadRunHead } from '../../frontal';
import { writeFileAtomic } from '../../pipeline/run-files';
import { runExportPath, runPath } from '../../run-folder/layout';

export async function exportFrontalPng(
  runDir: string,
  size: number,
): Promise<{ fileName: string; bytes: number; frontAzimuthDeg: number; residualYawDeg: number | null }> {
  const { cloud, fovyDeg } = await loadRunHead(runDir);
  const result = await frontalFromCloud(cloud, faceYawDetector, { size, fovyDeg });
  const png = await encodePng(result.image);
  const fileName = `frontal-${size}px.png`;
  await fs.mkdir(runPath(runDir, 'exportsDir'), { recursive: true });
  await writeFileAtomic(runExportPath(runDir, fileName), png);
  return { fileName, bytes: png.byteLength, frontAzimuthDeg: result.frontAzimuthDeg, residualYawDeg: result.residualYawDeg };
}
