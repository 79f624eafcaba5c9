export * from './styles';
export { celShade, celColours, inkMask, inkShare, INK_RGB, type CelOptions } from './cel';
export { pencilSketch, type PencilOptions } from './pencil';
export { painterly, painterlyRadius, type PainterlyOptions } from './painterly';
export { restyleCloud, nearestPaletteColour, type CloudRestyle } from './cloud-restyle';
export { parseHexColor, type Rgb } from './color';
