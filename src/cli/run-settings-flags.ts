/**
 * The run-settings flags that generate and batch share (--elevation, --seed, --steps, --quality,
 * --backend), validated by the contract's run-settings schema so the CLI accepts exactly what the
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
  });
  if (!parsed.success)
    throw new UsageError(
      describeZodError(parsed.error)
        .replace(/args\./g, '--')
        .replace('--elevationDeg', '--elevation'),
    );
  return parsed.data;
}
