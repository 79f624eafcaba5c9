/**
 * Encode a cloud in any format HeadForge writes, in Node: the shared codecs (SPZ v2/v3 with zlib's
 * gzip) and, through @playcanvas/splat-transform, SPZ v4, compressed PLY, SOG and the HTML viewer.
 */
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { EncodeOptions, ExportFileFormat } from '../../shared/splat/index';
import { encodeSplatNode } from './node-encode';
import { writeWithSplatTransform } from './playcanvas';

export async function encodeSplatFile(
  cloud: GaussianCloud,
  format: ExportFileFormat,
  opts: EncodeOptions = {},
): Promise<Uint8Array> {
  if (format === 'spz' && opts.spzVersion === 4) return writeWithSplatTransform(cloud, 'spz-v4');
  if (format === 'compressed-ply' || format === 'sog' || format === 'html')
    return writeWithSplatTransform(cloud, format, opts.axes ?? 'rdf');
  return encodeSplatNode(cloud, format, opts);
}
