/** ARKit blend-shape CSV (Live Link Face layout) -> typed take; errors name the columns and lines. */
import { describe, expect, it } from 'vitest';
import { ARKIT_BLENDSHAPES, kitToArkitName } from '../../src/shared/animation/arkit';
import {
  arkitFrame,
  ArkitCsvError,
  arkitTakeDuration,
  arkitWeightsAt,
  parseArkitCsv,
} from '../../src/shared/animation/arkit-csv';

// Live Link Face's column order, as the app writes it (first letter capitalised).
const HEADER =
  'Timecode,BlendShapeCount,EyeBlinkLeft,EyeLookDownLeft,EyeLookInLeft,EyeLookOutLeft,EyeLookUpLeft,EyeSquintLeft,EyeWideLeft,' +
  'EyeBlinkRight,EyeLookDownRight,EyeLookInRight,EyeLookOutRight,EyeLookUpRight,EyeSquintRight,EyeWideRight,' +
  'JawForward,JawRight,JawLeft,JawOpen,MouthClose,MouthFunnel,MouthPucker,MouthRight,MouthLeft,MouthSmileLeft,MouthSmileRight,' +
  'MouthFrownLeft,MouthFrownRight,MouthDimpleLeft,MouthDimpleRight,MouthStretchLeft,MouthStretchRight,MouthRollLower,MouthRollUpper,' +
  'MouthShrugLower,MouthShrugUpper,MouthPressLeft,MouthPressRight,MouthLowerDownLeft,MouthLowerDownRight,MouthUpperUpLeft,MouthUpperUpRight,' +
  'BrowDownLeft,BrowDownRight,BrowInnerUp,BrowOuterUpLeft,BrowOuterUpRight,CheekPuff,CheekSquintLeft,CheekSquintRight,' +
  'NoseSneerLeft,NoseSneerRight,TongueOut,HeadYaw,HeadPitch,HeadRoll,LeftEyeYaw,LeftEyePitch,LeftEyeRoll,RightEyeYaw,RightEyePitch,RightEyeRoll';
const zeros = (n: number) => Array<string>(n).fill('0').join(',');
// 3 frames: neutral; left blink + jaw half open; a sub-frame later, the jaw at 1.2 (clamped to 1).
const CSV = [
  HEADER,
  `10:41:22:15.000,61,${zeros(52)},0.1,-0.05,0,${zeros(6)}`,
  `10:41:22:16.000,61,1,${zeros(16)},0.5,${zeros(34)},0.2,-0.05,0.01,${zeros(6)}`,
  `10:41:22:16.500,61,0.5,${zeros(16)},1.2,${zeros(34)},0.3,-0.05,0.02,${zeros(6)}`,
].join('\r\n');

describe('ARKit CSV', () => {
  it('reads a Live Link Face take: times from the timecode, 52 coefficients by name, head rotation', () => {
    const take = parseArkitCsv(CSV);
    expect(take.frameCount).toBe(3);
    expect(Array.from(take.times)).toEqual([0, 1 / 60, 1.5 / 60].map((x) => expect.closeTo(x, 9)));
    expect(take.names).toHaveLength(52);
    const f1 = arkitFrame(take, 1);
    expect(f1.eyeBlinkLeft).toBe(1);
    expect(f1.jawOpen).toBe(0.5);
    expect(f1.eyeBlinkRight).toBe(0);
    expect(arkitFrame(take, 2).jawOpen).toBe(1);
    expect(take.clamped).toBe(1);
    expect(Array.from(take.head!.subarray(3, 6))).toEqual(
      [0.2, -0.05, 0.01].map((x) => expect.closeTo(x, 6)),
    );
    expect(take.eyes).not.toBeNull();
  });

  it('seconds in the Timecode column, no head columns, another frame rate', () => {
    const header = ['Timecode', ...ARKIT_BLENDSHAPES].join(',');
    const take = parseArkitCsv(`${header}\n0.5,${zeros(52)}\n0.75,${zeros(52)}\n`, { fps: 30 });
    expect(Array.from(take.times)).toEqual([0, 0.25]);
    expect(take.head).toBeNull();
    expect(parseArkitCsv(`Timecode,JawOpen\n00:00:01:15,0.5`, { fps: 30, allowMissing: true }).times[0]).toBe(
      0,
    );
  });

  it('errors name the missing and unknown columns, the line of a bad value, a backwards timecode', () => {
    const noJaw = CSV.replace(',JawOpen,', ',Jaw0pen,');
    expect(() => parseArkitCsv(noJaw)).toThrow(/unknown or repeated column: Jaw0pen/);
    const header = [
      'Timecode',
      ...ARKIT_BLENDSHAPES.filter((n) => n !== 'tongueOut' && n !== 'cheekPuff'),
    ].join(',');
    expect(() => parseArkitCsv(`${header}\n0,${zeros(50)}`)).toThrow(
      /missing blend-shape columns: cheekPuff, tongueOut/,
    );
    expect(() => parseArkitCsv(CSV.replace('0.5,', 'x,'))).toThrow(/line 3: JawOpen is "x"/);
    const lines = CSV.split('\r\n');
    expect(() => parseArkitCsv([lines[0], lines[2], lines[1]].join('\n'))).toThrow(
      /line 3: Timecode goes backwards/,
    );
    expect(() => parseArkitCsv(HEADER)).toThrow(ArkitCsvError);
    expect(() => parseArkitCsv(CSV.replace(',HeadPitch', ',LeftEyeYaw2'))).toThrow(/LeftEyeYaw2/);
  });

  it('a take is sampled at any time: linear between rows, held at the ends; it lasts its rows / fps', () => {
    const rows = ['Timecode,JawOpen,EyeBlinkLeft', '00:00:01:00,0,1', '00:00:01:01,0.5,1', '00:00:01:02,1,0'];
    const take = parseArkitCsv(rows.join('\n'), { fps: 60, allowMissing: true });
    expect(arkitTakeDuration(take)).toBeCloseTo(3 / 60, 12);
    expect(arkitWeightsAt(take, -1)).toEqual({ eyeBlinkLeft: 1 });
    expect(arkitWeightsAt(take, 0.5 / 60).jawOpen).toBeCloseTo(0.25, 6);
    expect(arkitWeightsAt(take, 1.5 / 60).eyeBlinkLeft).toBeCloseTo(0.5, 6);
    expect(arkitWeightsAt(take, 10)).toEqual({ jawOpen: 1 });
  });

  it("the kit's _L/_R names map to ARKit's Left/Right spelling", () => {
    expect(kitToArkitName('browDown_L')).toBe('browDownLeft');
    expect(kitToArkitName('mouthSmile_R')).toBe('mouthSmileRight');
    expect(kitToArkitName('jawOpen')).toBe('jawOpen');
  });
});
