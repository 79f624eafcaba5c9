/**
 * ARKit-named blend weights -> the head model's own expression weights (kit names, model order).
 *
 * Weights move the head *from the portrait's own expression* ('relative', the default): a shape at w
 * adds w to what the fit found, and relaxes its antagonists in the portrait by w (eyeBlink relaxes
 * eyeWide, jawOpen relaxes mouthClose and mouthPress, ...), so eyeBlink = 1 closes an eye that the
 * portrait shows wide open. 'absolute' replaces the portrait's expression by the weights (a neutral
 * face at all zeros).
 */
import { ARKIT_BLENDSHAPES, ARKIT_SPLIT_SHAPES, kitToArkitName } from '../../shared/animation/arkit';

/**
 * Antagonists in kit names: setting the key relaxes the listed shapes of the portrait's own expression
 * by the key's weight (relative mode).
 */
const ANTAGONISTS: Record<string, string[]> = {
  eyeBlink_L: ['eyeWide_L'],
  eyeBlink_R: ['eyeWide_R'],
  eyeWide_L: ['eyeBlink_L', 'eyeSquint_L'],
  eyeWide_R: ['eyeBlink_R', 'eyeSquint_R'],
  eyeLookUp_L: ['eyeLookDown_L'],
  eyeLookDown_L: ['eyeLookUp_L'],
  eyeLookUp_R: ['eyeLookDown_R'],
  eyeLookDown_R: ['eyeLookUp_R'],
  eyeLookIn_L: ['eyeLookOut_L'],
  eyeLookOut_L: ['eyeLookIn_L'],
  eyeLookIn_R: ['eyeLookOut_R'],
  eyeLookOut_R: ['eyeLookIn_R'],
  jawOpen: ['mouthClose', 'mouthPress_L', 'mouthPress_R', 'mouthRollLower', 'mouthRollUpper'],
  jawLeft: ['jawRight'],
  jawRight: ['jawLeft'],
  mouthLeft: ['mouthRight'],
  mouthRight: ['mouthLeft'],
  mouthSmile_L: ['mouthFrown_L'],
  mouthSmile_R: ['mouthFrown_R'],
  mouthFrown_L: ['mouthSmile_L'],
  mouthFrown_R: ['mouthSmile_R'],
  browDown_L: ['browInnerUp_L', 'browOuterUp_L'],
  browDown_R: ['browInnerUp_R', 'browOuterUp_R'],
  browInnerUp_L: ['browDown_L'],
  browInnerUp_R: ['browDown_R'],
  browOuterUp_L: ['browDown_L'],
  browOuterUp_R: ['browDown_R'],
};

/** Blend weights by ARKit name (and the kit's halves browInnerUpLeft/Right, cheekPuffLeft/Right), each in [0, 1]. */
export type ArkitWeights = Partial<Record<string, number>>;
export type BlendMode = 'relative' | 'absolute';

export class KitBlend {
  /** Kit-name weights of the portrait's expression, in model order. */
  readonly fitBeta: Float32Array;
  private readonly arkitToKit = new Map<string, number[]>();
  private readonly antagonists: number[][];

  /** `names`: the model's expression names (kit names); `fitExpression`: the portrait's weights by kit name. */
  constructor(names: readonly string[], fitExpression: Record<string, number>) {
    this.fitBeta = new Float32Array(names.length);
    for (const [k, w] of Object.entries(fitExpression)) {
      const i = names.indexOf(k);
      if (i >= 0) this.fitBeta[i] = w;
    }
    names.forEach((kit, i) => {
      const a = kitToArkitName(kit);
      this.arkitToKit.set(a, [...(this.arkitToKit.get(a) ?? []), i]);
    });
    for (const [whole, halves] of Object.entries(ARKIT_SPLIT_SHAPES)) {
      const ks = halves.map((h) => names.indexOf(h)).filter((k) => k >= 0);
      if (ks.length) this.arkitToKit.set(whole, ks);
    }
    this.antagonists = names.map((kit) =>
      names.flatMap((other, j) => ((ANTAGONISTS[other] ?? []).includes(kit) ? [j] : [])),
    );
  }

  /** Kit weights for a blend (see the file comment for the two modes); throws naming unknown shapes or bad weights. */
  kitWeights(weights: ArkitWeights, mode: BlendMode = 'relative'): Float32Array {
    const input = new Float64Array(this.fitBeta.length);
    const unknown: string[] = [];
    for (const [name, w] of Object.entries(weights)) {
      if (w === undefined) continue;
      if (!Number.isFinite(w) || w < 0 || w > 1)
        throw new RangeError(`${name} weight must be in [0, 1], got ${w}`);
      const ks = this.arkitToKit.get(name);
      if (!ks) {
        // tongueOut is ARKit's, but the kit has no tongue shape: it is read and ignored.
        if (!(ARKIT_BLENDSHAPES as readonly string[]).includes(name)) unknown.push(name);
        continue;
      }
      for (const k of ks) input[k] = Math.max(input[k], w);
    }
    if (unknown.length)
      throw new RangeError(
        `unknown expression shape${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (ARKit blend-shape names)`,
      );
    const beta = new Float32Array(this.fitBeta.length);
    for (let k = 0; k < beta.length; k++) {
      if (mode === 'absolute') {
        beta[k] = input[k];
        continue;
      }
      let relax = 0;
      for (const j of this.antagonists[k]) relax = Math.max(relax, input[j]);
      const fitW = this.fitBeta[k];
      // Nothing asked of this shape: the portrait's own weight, exactly.
      beta[k] =
        relax === 0 && input[k] === 0 ? fitW : Math.min(1, Math.max(0, fitW * (1 - relax) + input[k]));
    }
    return beta;
  }
}
