/** Bad places to write: missing or file-as-folder output folders, existing folders, /sys, a full disk. */
import { add } from './cases';
import { diskFull, p } from './work-folder';

const OUTPUTS: { cmd: string; argv: (out: string) => string[]; ext: string }[] = [
  { cmd: 'convert', argv: (o) => ['convert', p('good.ply'), o], ext: '.spz' },
  { cmd: 'stylize', argv: (o) => ['stylize', p('portrait.png'), o, '--style', 'cel'], ext: '.png' },
  { cmd: 'stylize', argv: (o) => ['stylize', p('good.ply'), o, '--hue', '40'], ext: '.ply' },
  { cmd: 'frontal', argv: (o) => ['frontal', p('good.ply'), o, '--no-search', '--size', '32'], ext: '.png' },
  {
    cmd: 'animate',
    argv: (o) => ['animate', p('good.ply'), o, '--size', '32', '--duration', '0.2', '--fps', '5'],
    ext: '.gif',
  },
];
for (const o of OUTPUTS) {
  const tag = `${o.ext} out`;
  // animate makes a missing output folder (exit 0); the others refuse it.
  add(o.cmd, `${tag}: its folder is missing`, () => o.argv(p('no-such-folder', `x${o.ext}`)), {
    says: /no-such-folder/,
    codes: o.cmd === 'animate' ? [0] : [2],
  });
  add(o.cmd, `${tag}: it is an existing folder`, () => o.argv(p(`is-a-folder${o.ext}`)));
  add(o.cmd, `${tag}: its folder is a file`, () => o.argv(p('good.ply', `x${o.ext}`)), {
    says: new RegExp(`good\\.ply/x\\${o.ext}`),
  });
  add(o.cmd, `${tag}: an unwritable place (/sys)`, () => o.argv(`/sys/headforge-test${o.ext}`), {
    codes: [2, 3],
  });
  add(
    o.cmd,
    `${tag}: the disk is full (an existing output is kept)`,
    () => o.argv(p('full', `keep${o.ext}`)),
    {
      codes: [3],
      says: /disk is full/,
      setup: diskFull,
    },
  );
}
add('convert', 'an output extension it cannot write', () => ['convert', p('good.ply'), p('out', 'c.txt')]);
add('stylize', 'a portrait to a .jpg output', () => [
  'stylize',
  p('portrait.png'),
  p('out', 's.jpg'),
  '--style',
  'cel',
]);
add('frontal', 'a .jpg output', () => ['frontal', p('good.ply'), p('out', 'f.jpg'), '--no-search']);
add('animate', 'an output extension it cannot write', () => ['animate', p('good.ply'), p('out', 'a.avi')]);
add(
  'generate',
  '--out an existing folder without --force',
  () => ['generate', p('portrait.png'), '--out', p('full')],
  {
    says: /--force/,
  },
);
add('generate', '--out a file', () => ['generate', p('portrait.png'), '--out', p('good.ply')]);
add('generate', '--out under a file', () => ['generate', p('portrait.png'), '--out', p('good.ply', 'x')]);
add(
  'generate',
  '--out an unwritable place (/sys)',
  () => ['generate', p('portrait.png'), '--out', '/sys/hf-out'],
  {
    codes: [2, 3],
  },
);
add('eval', '--out a file', () => ['eval', '--gt', p('bad-cams'), '--out', p('good.ply')]);
add('export-mesh', '--out in a missing folder', () => [
  'export-mesh',
  p('run-no-fit'),
  '--out',
  p('nowhere', 'm.glb'),
]);
add('batch', '--out a file', () => ['batch', p('not-portraits'), '--out', p('good.ply')]);
