/**
 * ARKit blends the studio offers: the sliders' groups (brows, eyes, cheeks, nose, jaw, mouth), the
 * one-click presets, and the blends behind the older preset names of the video export
 * (AnimationExpression: blink, smile, jawOpen, browRaise). Pure: no Node, no DOM.
 */
import { ARKIT_BLENDSHAPES, type ArkitBlendshape } from './arkit';

/** Blend weights by ARKit name, each in [0, 1]. */
export type ArkitBlend = Partial<Record<ArkitBlendshape, number>>;

export const ARKIT_GROUPS = ['brows', 'eyes', 'cheeks', 'nose', 'jaw', 'mouth'] as const;
export type ArkitGroup = (typeof ARKIT_GROUPS)[number];

/** The group a shape's slider sits in, by its name (tongueOut goes with the mouth). */
export function arkitGroupOf(name: ArkitBlendshape): ArkitGroup {
  if (name.startsWith('brow')) return 'brows';
  if (name.startsWith('eye')) return 'eyes';
  if (name.startsWith('cheek')) return 'cheeks';
  if (name.startsWith('nose')) return 'nose';
  if (name.startsWith('jaw')) return 'jaw';
  return 'mouth';
}

/** The 52 names by group, in ARKit order within each. */
export const ARKIT_BY_GROUP: Record<ArkitGroup, ArkitBlendshape[]> = Object.fromEntries(
  ARKIT_GROUPS.map((g) => [g, ARKIT_BLENDSHAPES.filter((n) => arkitGroupOf(n) === g)]),
) as Record<ArkitGroup, ArkitBlendshape[]>;

/** The studio's presets: what each sets (every other shape at 0). */
export const STUDIO_PRESETS = {
  smile: { mouthSmileLeft: 1, mouthSmileRight: 1, cheekSquintLeft: 0.4, cheekSquintRight: 0.4 },
  surprise: {
    browInnerUp: 1,
    browOuterUpLeft: 1,
    browOuterUpRight: 1,
    eyeWideLeft: 0.8,
    eyeWideRight: 0.8,
    jawOpen: 0.45,
  },
  blink: { eyeBlinkLeft: 1, eyeBlinkRight: 1 },
  talk: { jawOpen: 0.3, mouthFunnel: 0.35, mouthLowerDownLeft: 0.3, mouthLowerDownRight: 0.3 },
} satisfies Record<string, ArkitBlend>;
export type StudioPreset = keyof typeof STUDIO_PRESETS;

/** The video export's expression pulses as ARKit blends: what each sets at full strength. */
export const PRESET_BLENDS: Record<'blink' | 'smile' | 'jawOpen' | 'browRaise', ArkitBlend> = {
  blink: STUDIO_PRESETS.blink,
  smile: STUDIO_PRESETS.smile,
  jawOpen: { jawOpen: 1 },
  browRaise: { browInnerUp: 1, browOuterUpLeft: 1, browOuterUpRight: 1 },
};

/** A blend scaled by `w` (0..1), each weight clamped to [0, 1]. */
export function scaledBlend(blend: ArkitBlend, w: number): ArkitBlend {
  const out: ArkitBlend = {};
  for (const [k, v] of Object.entries(blend) as [ArkitBlendshape, number | undefined][])
    if (v !== undefined) out[k] = Math.min(1, Math.max(0, v * w));
  return out;
}
