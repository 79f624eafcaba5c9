/**
 * Bad inputs for every command that reads a file or folder: missing, a folder, empty, text, truncated,
 * declaring huge sizes, the wrong kind of file, damaged JSON and packs, schema errors inside valid
 * containers, and path escapes in project ids.
 */
import { add } from './cases';
import { p } from './work-folder';

/** Bad input files, each named for the kind of file the command expects. */
const BAD_FILES: { what: string; file: (ext: string) => string; says?: RegExp }[] = [
  { what: 'a missing file', file: (ext) => p(`missing${ext}`), says: /missing/ },
  { what: 'a folder', file: () => p('a-folder') },
  { what: 'an empty file', file: (ext) => p(`empty${ext}`), says: /empty/ },
  { what: 'text, not the format', file: (ext) => p(`text${ext}`) },
  { what: 'a truncated file', file: (ext) => p(`truncated${ext}`) },
  { what: 'a file declaring huge dimensions', file: (ext) => p(`huge${ext}`) },
];

// Splat inputs.
for (const ext of ['.ply', '.spz']) {
  for (const bad of BAD_FILES) {
    const f = (): string => bad.file(ext);
    add('info', `${bad.what} (${ext})`, () => ['info', f()], { says: bad.says });
    add('convert', `${bad.what} (${ext})`, () => ['convert', f(), p('out', 'c.splat')], { says: bad.says });
    add('stylize', `head: ${bad.what} (${ext})`, () => ['stylize', f(), p('out', 's.ply'), '--hue', '20'], {
      says: bad.says,
    });
    add('animate', `${bad.what} (${ext})`, () => ['animate', f(), p('out', 'a.gif'), '--size', '32'], {
      says: bad.says,
    });
  }
}
for (const bad of BAD_FILES.filter((b) => b.what !== 'a folder')) {
  add('frontal', `splat: ${bad.what}`, () => ['frontal', bad.file('.ply'), p('out', 'f.png')], {
    says: bad.says,
  });
}
add('info', 'a PNG given as a splat', () => ['info', p('portrait.png')]);
// Damaged inside a valid container: each named by the reader.
add('info', 'a GLB whose accessor count is a string', () => ['info', p('schema.glb')], {
  says: /GLB: JSON accessors\[0\]\.count/,
});
add('info', "a PLY property of type 'constructor' declaring 3 M vertices", () => ['info', p('ctor.ply')], {
  says: /PLY: bad property/,
});
add('info', 'a .splat whose size is not a multiple of 32', () => ['info', p('odd.splat')], {
  says: /not a multiple of 32/,
});
add('stylize', 'head: an ASCII PLY with no properties', () => [
  'stylize',
  p('no-props.ply'),
  p('out', 's.ply'),
  '--hue',
  '30',
]);
add('convert', 'a PNG given as a splat', () => ['convert', p('portrait.png'), p('out', 'c.ply')]);
add('animate', 'a run folder without head.ply', () => ['animate', p('a-folder'), p('out', 'a.gif')]);

// Portrait inputs.
for (const ext of ['.png', '.jpg']) {
  for (const bad of BAD_FILES) {
    const f = (): string => bad.file(ext);
    add('generate', `${bad.what} (${ext})`, () => ['generate', f(), '--quality', 'draft'], {
      says: bad.says,
    });
    add(
      'stylize',
      `portrait: ${bad.what} (${ext})`,
      () => ['stylize', f(), p('out', 's.png'), '--style', 'cel'],
      {
        says: bad.says,
      },
    );
    if (bad.what !== 'a folder')
      add('frontal', `portrait: ${bad.what} (${ext})`, () => ['frontal', f(), p('out', 'f.png')], {
        says: bad.says,
      });
  }
}
// The audit's 97-byte PNG declaring 10000 x 10000 (stylize ran 98 s at 9.4 GB): refused by pixel count.
add(
  'stylize',
  'portrait: a PNG declaring 10000 x 10000',
  () => ['stylize', p('10k.png'), p('out', 's.png'), '--style', 'cel'],
  { says: /10000x10000.*limit/ },
);
add('generate', 'a splat file given as a portrait', () => ['generate', p('good.ply')]);
add('generate', 'a PDF', () => ['generate', p('doc.pdf')]);
add('stylize', 'a PLY given a portrait style', () => [
  'stylize',
  p('good.ply'),
  p('out', 's.ply'),
  '--style',
  'cel',
]);

// Folders and JSON the commands read.
// `models check` prints its report (INVALID + the errors) on stdout; a folder that is not there is
// exit 3, the CLI's code for a missing model pack.
const MODELS = { codes: [2, 3], prefix: /^(headforge models: |INVALID \(|\s+error: )\S/ };
add('models', 'check: a missing folder', () => ['models', 'check', p('missing-pack')], MODELS);
add('models', 'check: a file', () => ['models', 'check', p('text.png')], MODELS);
add('models', 'check: an empty folder', () => ['models', 'check', p('a-folder')], MODELS);
add('models', 'check: pack.json not JSON', () => ['models', 'check', p('bad-pack')], MODELS);
add(
  'models',
  'import-head: a missing folder',
  () => ['models', 'import-head', p('missing-kit'), '--models', p('models')],
  MODELS,
);
add(
  'models',
  'import-head: a file',
  () => ['models', 'import-head', p('text.png'), '--models', p('models')],
  MODELS,
);
add(
  'models',
  'import-head: an empty folder',
  () => ['models', 'import-head', p('a-folder'), '--models', p('models')],
  MODELS,
);
add('export-mesh', 'a missing run', () => ['export-mesh', p('missing-run'), '--out', p('out', 'm.glb')]);
add('export-mesh', 'a file as the run', () => ['export-mesh', p('good.ply'), '--out', p('out', 'm.glb')]);
add('export-mesh', 'an empty folder', () => ['export-mesh', p('a-folder'), '--out', p('out', 'm.glb')]);
add('export-mesh', 'a run without head-fit.json', () => [
  'export-mesh',
  p('run-no-fit'),
  '--out',
  p('out', 'm.glb'),
]);
add('eval', '--gt missing', () => ['eval', '--gt', p('missing.glb'), '--out', p('out', 'ev')]);
add('eval', '--gt text named .glb', () => ['eval', '--gt', p('text.glb'), '--out', p('out', 'ev')]);
add('eval', '--gt an empty folder', () => ['eval', '--gt', p('a-folder'), '--out', p('out', 'ev')]);
add('eval', '--gt opencv_cameras.json not JSON', () => [
  'eval',
  '--gt',
  p('bad-cams'),
  '--out',
  p('out', 'ev'),
]);
add('eval', '--gt opencv_cameras.json of the wrong shape', () => [
  'eval',
  '--gt',
  p('shape-cams'),
  '--out',
  p('out', 'ev'),
]);
add('eval', '--candidate-run missing', () => [
  'eval',
  '--gt',
  p('bad-cams'),
  '--candidate-run',
  p('missing-run'),
  '--out',
  p('out', 'ev'),
]);
add('eval', '--gt a record.json holding null', () => [
  'eval',
  '--gt',
  p('null-record'),
  '--out',
  p('out', 'ev'),
]);
for (const [flag, file, says] of [
  ['--path', 'missing.json'],
  ['--path', 'text.json', /--path must be turntable, orbit, nod or a JSON file/],
  ['--path', 'shape.json'],
  ['--path', 'path-shape.json', /--path .*path-shape\.json: .*azimuthDeg/],
  ['--path', 'a-folder'],
  ['--anchors', 'missing.json'],
  ['--anchors', 'text.json'],
  ['--anchors', 'shape.json', /--anchors .*shape\.json must hold FaceAnchors/],
] as const) {
  const extra = flag === '--anchors' ? ['--expression', 'smile'] : [];
  add(
    'animate',
    `${flag} ${file}`,
    () => ['animate', p('good.ply'), p('out', 'a.gif'), flag, p(file), ...extra],
    {
      says,
    },
  );
}
// batch names each skipped input ('bad input: FILE: why') and still writes its summary (exit 2); an
// empty folder is a finished batch of nothing (exit 0, '0 of 0 heads done').
const BATCH = { prefix: /^(headforge batch: |bad input: |0 of 0 heads done)\S*/ };
add('batch', 'a missing folder', () => ['batch', p('missing-folder'), '--out', p('out', 'b1')], {
  ...BATCH,
  writes: 'out/b1/',
});
add('batch', 'an empty folder', () => ['batch', p('a-folder'), '--out', p('out', 'b2')], {
  ...BATCH,
  codes: [0],
});
add(
  'batch',
  'a folder of files that are not portraits',
  () => ['batch', p('not-portraits'), '--out', p('out', 'b3')],
  { ...BATCH, writes: 'out/b3/' },
);

// Path escapes: project ids are names inside the library, never paths.
for (const id of ['../..', '../../etc/passwd', '/etc', '%2e%2e%2f', 'a/b', '..\\..', '.', '']) {
  add('projects', `show '${id}'`, () => ['projects', 'show', id]);
}
