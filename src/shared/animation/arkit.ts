/**
 * Apple ARKit's 52 face blend-shape names (ARFaceAnchor.BlendShapeLocation raw values), and the map
 * from the ICT Face Model's names (browDown_L ...) to them.
 *
 * Left/Right are the subject's own (eyeBlinkLeft closes the subject's left eye), as in the ICT kit
 * (its `_L` shapes move the +x side of the head, the subject's left). The kit has no tongueOut, and it
 * splits two of ARKit's single shapes in halves: browInnerUp_L/_R and cheekPuff_L/_R (mapped to
 * browInnerUpLeft/Right and cheekPuffLeft/Right, which ARKit does not have; ARKit's browInnerUp and
 * cheekPuff are the sum of the halves).
 */

export const ARKIT_BLENDSHAPES = [
  'eyeBlinkLeft',
  'eyeLookDownLeft',
  'eyeLookInLeft',
  'eyeLookOutLeft',
  'eyeLookUpLeft',
  'eyeSquintLeft',
  'eyeWideLeft',
  'eyeBlinkRight',
  'eyeLookDownRight',
  'eyeLookInRight',
  'eyeLookOutRight',
  'eyeLookUpRight',
  'eyeSquintRight',
  'eyeWideRight',
  'jawForward',
  'jawLeft',
  'jawRight',
  'jawOpen',
  'mouthClose',
  'mouthFunnel',
  'mouthPucker',
  'mouthLeft',
  'mouthRight',
  'mouthSmileLeft',
  'mouthSmileRight',
  'mouthFrownLeft',
  'mouthFrownRight',
  'mouthDimpleLeft',
  'mouthDimpleRight',
  'mouthStretchLeft',
  'mouthStretchRight',
  'mouthRollLower',
  'mouthRollUpper',
  'mouthShrugLower',
  'mouthShrugUpper',
  'mouthPressLeft',
  'mouthPressRight',
  'mouthLowerDownLeft',
  'mouthLowerDownRight',
  'mouthUpperUpLeft',
  'mouthUpperUpRight',
  'browDownLeft',
  'browDownRight',
  'browInnerUp',
  'browOuterUpLeft',
  'browOuterUpRight',
  'cheekPuff',
  'cheekSquintLeft',
  'cheekSquintRight',
  'noseSneerLeft',
  'noseSneerRight',
  'tongueOut',
] as const;

export type ArkitBlendshape = (typeof ARKIT_BLENDSHAPES)[number];

const ARKIT_SET: ReadonlySet<string> = new Set(ARKIT_BLENDSHAPES);

export function isArkitBlendshape(name: string): name is ArkitBlendshape {
  return ARKIT_SET.has(name);
}

/** A kit name in ARKit's spelling: `_L` -> `Left`, `_R` -> `Right` (browDown_L -> browDownLeft). */
export function kitToArkitName(kitName: string): string {
  if (kitName.endsWith('_L')) return `${kitName.slice(0, -2)}Left`;
  if (kitName.endsWith('_R')) return `${kitName.slice(0, -2)}Right`;
  return kitName;
}

/**
 * ARKit shapes that the kit only has as left and right halves: the ARKit shape is the sum of the two
 * (an exporter adds it as its own morph target so a capture drives it by its ARKit name).
 */
export const ARKIT_SPLIT_SHAPES: Readonly<Record<string, readonly [string, string]>> = {
  browInnerUp: ['browInnerUp_L', 'browInnerUp_R'],
  cheekPuff: ['cheekPuff_L', 'cheekPuff_R'],
};
