/**
 * A run's bound head from its folder: its fit, the placement of the model in its world, the installed
 * head model, and the binding its optimisation kept (head-binding.json; runs made before it was kept
 * are bound by the nearest rule now).
 */
import fs from 'node:fs/promises';
import { readRunHeadFit } from '../run-folder/head-fit-file';
import { runPath } from '../run-folder/layout';
import type { InputCameraRecord } from '../../shared/contracts/multiview';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import { StudioError } from '../../shared/rpc/errors';
import { fittedModelToWorld } from '../head-fit/model-to-world';
import { runHeadModel } from '../head-fit/run-head-model';
import type { HeadModel } from '../head-model/types';
import { readHeadBinding } from './binding-file';
import { BoundHead } from './bound-head';

/** Everything needed to bind a run's head: its fit, the placement of the model in its world, and the model. */
export async function loadBoundHead(
  runDir: string,
  cloud: GaussianCloud,
  model?: HeadModel,
): Promise<BoundHead> {
  const fit = await readRunHeadFit(runDir);
  if (!fit)
    throw new StudioError(
      'NOT_FOUND',
      `${runDir} has no head-fit.json: the run was made without a head model (install one: headforge models import-head), so its splats cannot be bound to a face`,
    );
  const record = JSON.parse(await fs.readFile(runPath(runDir, 'record'), 'utf8')) as {
    resolved?: { inputCamera?: InputCameraRecord };
  };
  const inputCamera = record.resolved?.inputCamera;
  if (!inputCamera)
    throw new StudioError(
      'NOT_FOUND',
      `${runDir}: record.json has no resolved.inputCamera (runs made before it was recorded): generate the run again`,
    );
  let m = model;
  if (!m) {
    const r = await runHeadModel();
    if (!r.model)
      throw new StudioError('BACKEND_UNAVAILABLE', `no head model to bind the splats to: ${r.reason}`);
    m = r.model;
  }
  if (fit.model.sha256 !== m.info.sha256)
    throw new StudioError(
      'BAD_REQUEST',
      `the run was fitted with head model ${fit.model.name} ${fit.model.sha256.slice(0, 12)}, the installed one is ${m.info.name} ${m.info.sha256.slice(0, 12)}`,
    );
  const triangles = await readHeadBinding(runDir, cloud.count, m.info.sha256);
  return new BoundHead(m, fit, fittedModelToWorld(fit, inputCamera), cloud, triangles ?? undefined);
}
