/** `headforge doctor [--cuda] [--models DIR] [--json]` — what this machine can run, and what is missing. */
import { HEAD_MODEL_INSTALL_HINT, discoverHeadModels } from '../../engine/head-model';
import { defaultUserModelDir } from '../../engine/packs/discover';
import { collectDiagnostics } from '../../engine/host/engine-info';
import { defaultLibraryRoot } from '../../engine/projects/paths';
import { rasterBackendInfo } from '../../engine/raster';
import { EXIT, parseCommandArgs, writeLine, type CliCommand } from '../command';

/** Which rasterizer backend training will use and why (CPU, or CUDA: native/cuda/cuda_loader.h). */
function rasterBackendLine(): string {
  try {
    const info = rasterBackendInfo();
    return `ok   rasterizer backend: ${info.backend} — ${info.reason}`;
  } catch (err) {
    return `MISS rasterizer backend: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export const command: CliCommand = {
  name: 'doctor',
  usage: `headforge doctor [--cuda] [--models DIR]... [--library DIR] [--json]

  --cuda      also try to open an onnxruntime session on the CUDA provider
  --models    extra model-pack folder(s) to scan (besides $HEADFORGE_MODELS, ~/.headforge/models, resources/models)`,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        cuda: { type: 'boolean' },
        models: { type: 'string', multiple: true },
        library: { type: 'string' },
        json: { type: 'boolean' },
      },
      false,
    );
    const models = (values.models as unknown as string[] | undefined) ?? [];
    const d = await collectDiagnostics({ modelDirs: models, tryCuda: values.cuda === true });
    const library = defaultLibraryRoot((values.library as string | undefined) ?? null);
    const heads = discoverHeadModels({
      extraDirs: models,
      userDir: io.env.HEADFORGE_MODELS ?? defaultUserModelDir(),
    });
    const headModels = heads.map((h) => ({
      dir: h.dir,
      name: h.manifest?.name ?? null,
      version: h.manifest?.version ?? null,
      problem: h.error ?? null,
    }));
    if (values.json) {
      writeLine(io.stdout, JSON.stringify({ ...d, library, headModels }, null, 2));
      return EXIT.ok;
    }
    const ok = (good: boolean): string => (good ? 'ok  ' : 'MISS');
    const out = io.stdout;
    writeLine(out, `HeadForge ${d.version} — ${d.platform}`);
    writeLine(
      out,
      `  ok   Node ${d.node}${d.electron ? `, Electron ${d.electron}` : ' (Electron: not running inside Electron)'}`,
    );
    writeLine(
      out,
      `  ${ok(d.onnxruntime.loaded)} onnxruntime-node ${d.onnxruntime.version ?? ''}${d.onnxruntime.problem ? `: ${d.onnxruntime.problem}` : ''}`,
    );
    writeLine(
      out,
      `       execution providers compiled in: ${d.executionProviders.join(', ') || 'none'}${d.cudaSession ? '' : ' (--cuda tests whether CUDA really works)'}`,
    );
    if (d.cudaSession)
      writeLine(
        out,
        `  ${ok(d.cudaSession.ok)} CUDA session: ${d.cudaSession.ok ? 'created' : d.cudaSession.problem}`,
      );
    writeLine(
      out,
      `  ${ok(d.gpu !== null)} GPU: ${d.gpu ?? 'none found (nvidia-smi absent or no device); the CPU will be used'}`,
    );
    writeLine(
      out,
      `  ${ok(d.nativeAddon === 'built')} native rasterizer addon: ${d.nativeAddon === 'built' ? d.nativeAddonDetail.path : d.nativeAddonDetail.problem}`,
    );
    if (d.nativeAddon === 'built') writeLine(out, `  ${rasterBackendLine()}`);
    writeLine(
      out,
      `  ${ok(d.pipeline.available)} generate pipeline: ${d.pipeline.available ? 'present' : d.pipeline.problem}`,
    );
    const valid = d.modelPacks.filter((p) => p.valid);
    writeLine(
      out,
      `  ${ok(valid.length > 0)} model packs: ${d.modelPacks.length ? '' : 'none (the weight-free default backend needs none)'}`,
    );
    for (const p of d.modelPacks)
      writeLine(
        out,
        `       ${p.valid ? 'valid  ' : 'INVALID'} ${p.name} ${p.version}${p.problem ? ` — ${p.problem}` : ''}`,
      );
    writeLine(out, `       searched: ${d.modelPackDirs.join(', ')}`);
    const goodHead = headModels.find((h) => !h.problem);
    writeLine(
      out,
      `  ${ok(!!goodHead)} head model: ${goodHead ? `${goodHead.name} ${goodHead.version} (${goodHead.dir}; \`headforge models check DIR\` verifies it)` : `none (generate uses its built-in head proxy); ${HEAD_MODEL_INSTALL_HINT}`}`,
    );
    for (const h of headModels) if (h.problem) writeLine(out, `       INVALID ${h.dir} — ${h.problem}`);
    writeLine(out, `  library: ${library}`);
    return EXIT.ok;
  },
};
