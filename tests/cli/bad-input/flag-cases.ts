/** Bad flags and values for every command, and missing or extra arguments. */
import { add } from './cases';
import { p } from './work-folder';

const FLAGS: [string, string[]][] = [
  ['generate', ['--seed', 'abc']],
  ['generate', ['--seed', '1.5']],
  ['generate', ['--steps', '-1']],
  ['generate', ['--quality', 'ultra']],
  ['generate', ['--elevation', '99']],
  ['generate', ['--elevation', 'up']],
  ['generate', ['--backend', 'nope']],
  ['generate', ['--head-model', '/no/such/head-model']],
  ['generate', ['--no-such-flag']],
  ['generate', ['--seed']],
  ['convert', ['--preset', 'nope']],
  ['convert', ['--sh', '7']],
  ['convert', ['--max-splats', '-3']],
  ['convert', ['--spz-version', '5']],
  ['convert', ['--in-axes', 'xyz']],
  ['convert', ['--min-opacity', '2']],
  ['convert', ['--crop-box', '1,2']],
  ['convert', ['--crop-sphere', 'a,b,c,d']],
  ['convert', ['--no-such-flag']],
  ['info', ['--axes', 'xyz']],
  ['info', ['--no-such-flag']],
  ['stylize', ['--style', 'nope']],
  ['stylize', ['--style', 'cel', '--strength', '2']],
  ['stylize', ['--style', 'pack:not-installed']],
  ['stylize', ['--hue', 'abc']],
  ['stylize', ['--saturation', '9']],
  ['stylize', ['--tint', 'red']],
  ['stylize', ['--posterize', '99']],
  ['stylize', ['--palette', '#zzzzzz']],
  ['frontal', ['--size', '0']],
  ['frontal', ['--size', '100000']],
  ['frontal', ['--fovy', '0']],
  ['frontal', ['--quality', 'x']],
  ['animate', ['--fps', '0']],
  ['animate', ['--fps', '1000000']],
  ['animate', ['--duration', '0']],
  ['animate', ['--duration', '1e9']],
  ['animate', ['--size', '0']],
  ['animate', ['--size', '100000']],
  ['animate', ['--width', '100000', '--height', '100000']],
  ['animate', ['--background', 'notacolour']],
  ['animate', ['--format', 'xyz']],
  ['animate', ['--expression', 'sneeze']],
  ['animate', ['--path', 'zigzag']],
  ['animate', ['--elevation', 'abc']],
  ['export-mesh', ['--format', 'xyz']],
  ['export-mesh', ['--texture-size', '100']],
  ['export-mesh', ['--texture-size', '65536']],
  ['eval', ['--protocol', 'x']],
  ['eval', ['--view-size', '100000']],
  ['eval', ['--input-view', '-1']],
  ['eval', ['--quality', 'x']],
  ['batch', ['--seeds', '0']],
  ['batch', ['--jobs', '0']],
  ['batch', ['--preset', 'nope']],
  ['batch', ['--queue', 'http://example.invalid']],
  ['worker', ['--queue', 'http://example.invalid']],
  ['worker', ['--queue', 'redis://127.0.0.1:6379', '--concurrency', '0']],
  ['serve', ['--port', 'abc']],
  ['serve', ['--port', '70000']],
  ['doctor', ['--no-such-flag']],
  ['projects', ['--no-such-flag']],
];
/** The rest of a command line that would work, so only the flag is wrong. */
const GOOD_ARGS: Record<string, () => string[]> = {
  generate: () => [p('portrait.png')],
  convert: () => [p('good.ply'), p('out', 'c.spz')],
  info: () => [p('good.ply')],
  stylize: () => [p('good.ply'), p('out', 's.ply')],
  frontal: () => [p('good.ply'), p('out', 'f.png'), '--no-search'],
  animate: () => [p('good.ply'), p('out', 'a.gif')],
  'export-mesh': () => [p('run-no-fit'), '--out', p('out', 'm.glb')],
  eval: () => ['--gt', p('bad-cams'), '--out', p('out', 'ev')],
  batch: () => [p('not-portraits'), '--out', p('out', 'b')],
  worker: () => [],
  serve: () => [],
  doctor: () => [],
  projects: () => [],
};
for (const [cmd, flags] of FLAGS) {
  add(cmd, `bad flag ${flags.join(' ')}`, () => [cmd, ...GOOD_ARGS[cmd](), ...flags]);
}
// A model pack that is not installed is exit 3 (a missing pack, as `headforge generate --help` says),
// said before the project is created.
add(
  'generate',
  'bad flag --backend pack:not-installed',
  () => ['generate', p('portrait.png'), '--backend', 'pack:not-installed'],
  { codes: [3], says: /model pack 'not-installed' is not installed/ },
);
// Missing arguments.
for (const argv of [
  ['generate'],
  ['convert', 'only-in.ply'],
  ['info'],
  ['stylize', 'in.png'],
  ['frontal'],
  ['animate'],
  ['export-mesh'],
  ['eval'],
  ['batch'],
  ['worker'],
  ['models', 'check'],
  ['models', 'fly'],
  ['projects', 'show'],
  ['projects', 'fly'],
  ['generate', 'a.png', 'b.png'],
]) {
  add(argv[0], `missing or extra arguments: ${argv.join(' ')}`, () => argv);
}
add('stylize', 'portrait without --style', () => ['stylize', p('portrait.png'), p('out', 's.png')]);
add('stylize', 'head without any recolour flag', () => ['stylize', p('good.ply'), p('out', 's.ply')]);
add('headforge', 'an unknown command', () => ['fly-to-the-moon']);
