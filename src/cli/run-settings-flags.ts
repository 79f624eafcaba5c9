/**
 * The run-settings flags that generate and batch share (--elevation, --seed, --steps, --quality,
 * --backend; --fov, the photo's lens, is generate's: a batch's photos each have their own), validated by the contract's run-settings schema so the CLI accepts exactly what the
 * studio does, with the schema's messages spelt as flags.
 */
import { describeZodError, runSettingsSchema, type RunSettings } from '../shared/contracts/studio-requests';
import { intFlag, UsageError } from './command';

export interface RunSettingsFlags {
  elevation?: string | boolean;
  seed?: string | boolean;
  steps?: string | boolean;
  quality?: string | boolean;
  backend?: string | boolean;
  fov?: string | boolean;
}

/** Parsed settings; `seed` and `quality` are the command's defaults when the flags are absent. */
export function parseRunSettingsFlags(
  values: RunSettingsFlags,
  defaults: { seed: number; quality: string },
): RunSettings {
  const elevation =
    values.elevation === undefined || values.elevation === 'auto' ? 'auto' : Number(values.elevation);
  const parsed = runSettingsSchema.safeParse({
    elevationDeg: elevation,
    seed: intFlag(values.seed, 'seed') ?? defaults.seed,
    quality: values.quality ?? defaults.quality,
    backend: values.backend ?? 'default',
    ...(values.steps !== undefined ? { steps: intFlag(values.steps, 'steps') } : {}),
    ...(values.fov !== undefined ? { inputFovyDeg: Number(values.fov) } : {}),
  });
  if (!parsed.success)
    throw new UsageError(
      describeZodError(parsed.error)
        .replace(/args\./g, '--')
        .replace('--elevationDeg', '--elevation')
        .replace('--inputFovyDeg', '--fov'),
    );
  return parsed.data;
}
