/**
 * PreprocessResult -> HeadProxy: fit the head (landmarks, or the silhouette alone without a face),
 * fit its outline to the matte, add the neck/shoulder stub, mesh it, colour it.
 */
import { clampElevation, DEFAULT_FOVY_DEG } from '../../../shared/camera';
import type { FittedHead } from '../../head-fit/fit-landmarks';
import type { HeadModel } from '../../head-model/types';
import { fittedHeadShape } from './fitted-shape';
import { REGION, type PreprocessResult } from '../../../shared/contracts/preprocess';
import { appearanceTexturePlaceholder } from './placeholder';
import { buildTexture } from './appearance';
import { baseRadii, fitHeadFromLandmarks, type HeadShape } from './head-model';
import { facePose } from './face-pose';
import { paintCanonicalFeatures } from './face-paint';
import { profileAsFace, profileFace, WEAK_FACE_SCORE } from './profile';
import { profileCheekColour } from './profile-regions';
import { createImageFrame, inputAzimuthForFace, orbitAxisZRef } from './image-frame';
import { pointInPolygon } from '../../../shared/polygon';
import { bodyPixels, grownOval, jawRows, shoulderPixels } from './head-masks';
import { fitHeadFromMatte } from './matte-head';
import {
  bodyReachPrior,
  BUST_BELOW_CHIN,
  fitTorsoToProfile,
  hiddenNeck,
  SHOULDER_REACH,
  SHOULDER_RISE,
  SHOULDERS_RISE_FROM_DEG,
} from './body-priors';
import { CROP, FACE_OVAL, frameYawDeg, fromHead, LM, type HeadFrame } from './landmarks';
import { ANGLE_BINS, fitToSilhouette, headBinHeights, headMask, headToPixel, outlineRadii } from './silhouette';
import { buildProxyMesh, type HeadProxy } from './proxy';
import { TURNED_FACE_DEG } from './observe';
import { buildTorso, projectedHalfWidth, turnTorso } from './torso';
import { planeMatte } from './portrait-plane';
import { endVolumeAtHairline, hangHair, lowestHairY, profileSideHairY, sideHairY } from './hair-line';

export interface ProxyOptions {
  seed: number;
  /** Radial grid resolution (theta rows x phi columns). */
  nTheta?: number;
  nPhi?: number;
  /** Elevation of the camera that took the portrait (the run's elevation); default: the fitted head's. */
  inputElevationDeg?: number;
  /** The morphable head fitted to this portrait (src/engine/head-fit); without it the head is the landmark proxy. */
  head?: { model: HeadModel; fitted: FittedHead } | null;
  log?: (m: string) => void;
}

/** Face widths below the chin a profile's lowest hair must reach to be long hair. */
const PROFILE_LONG_HAIR = 0.25;

/** A fitted face turned more than TURNED_FACE_DEG ignores its outline's far side within this angle (degrees, in the image) of the direction it turns to. */
const FAR_SIDE_HALF_ANGLE_DEG = 60;

/**
 * How far inside the outline (pixels) a fitted head's outline bin is probed for hair. A profile's
 * labels are by colour (profile-regions.ts), and the lit rim of spiky or fine hair reads as skin there:
 * it is probed deeper too. (Probing a detected face's labels deeper as well fitted facelift-mvd-000's
 * front view 1.1 dB better and its other five views 0.2-0.3 dB worse.)
 */
const HAIR_PROBE_DEPTH_PX = 3;
/** Camera elevation (degrees) from which the skin outline under the jaw's angle is the neck's, not the jaw's. */
const RIM_JAW_ELEVATION_DEG = 10;
/** Skin outline bins (ears, the back of the jaw) within this many degrees of the head's horizontal are fitted. */
const RIM_FROM_LEVEL_DEG = 60;
const PROFILE_HAIR_PROBE_DEPTHS_PX = [3, 6, 9];

/** Yaw (deg) below which the input camera stays at azimuth 0, and above which the pose is fully undone. */
const YAW_KEEP_DEG = 8;
const YAW_UNDO_DEG = 16;

/**
 * Azimuth of the input camera. A near-frontal portrait keeps the pipeline's convention (input camera
 * at azimuth 0, view 0 reproduces it pixel for pixel); a turned face (3/4, profile) has its pose
 * undone so the head's own front sits at azimuth 0 and the input view at the input's azimuth. The
 * two blend smoothly in between, so the residual turn of view 0 never exceeds about YAW_UNDO_DEG / 2.
 */
function inputAzimuthDeg(elevationDeg: number, frame: HeadFrame): number {
  const full = inputAzimuthForFace(elevationDeg, frame.zAxis);
  const t = Math.min(1, Math.max(0, (Math.abs(full) - YAW_KEEP_DEG) / (YAW_UNDO_DEG - YAW_KEEP_DEG)));
  return full * t * t * (3 - 2 * t);
}

export function buildHeadProxy(pre: PreprocessResult, opts: ProxyOptions): HeadProxy {
  const log = opts.log ?? (() => undefined);
  const nTheta = opts.nTheta ?? 160;
  const nPhi = opts.nPhi ?? 320;
  const matte = pre.matte512.data;
  // No face found, or a weak detection on an outline that reads as a profile: a profile gets a
  // canonical face on the side it faces (profile.ts), and the head model, when there is one, is fitted
  // to it (head-fit/fit-profile.ts).
  const weakFace = pre.face !== null && pre.face.score < WEAK_FACE_SCORE;
  const profile = pre.face === null || weakFace ? profileFace(pre) : null;
  if (profile)
    log(
      `weightfree: ${weakFace ? `weak face detection (score ${pre.face?.score.toFixed(2)}) on a profile outline` : 'no face found'}; profile facing image ${profile.facing < 0 ? 'left' : 'right'}, canonical face ${profile.faceWidth.toFixed(0)} px wide fitted to the profile line (residual ${profile.residual.toFixed(3)} face widths)`,
    );
  const fitTo = profile ?? (pre.face ? { landmarks: pre.face.landmarks, regions: pre.regions } : null);
  const fitted =
    opts.head && fitTo && opts.head.fitted.fit.landmarkSource === (profile ? 'profile' : 'detected')
      ? fittedHeadShape(opts.head.model, opts.head.fitted, fitTo.landmarks, fitTo.regions, nTheta, nPhi)
      : null;
  const headFit = fitted && opts.head ? opts.head.fitted.fit : null;
  if (fitted && headFit) {
    const f = headFit;
    log(
      `weightfree: head model ${f.model.name} fitted (yaw ${f.yawDeg.toFixed(1)}, pitch ${f.pitchDeg.toFixed(1)}, roll ${f.rollDeg.toFixed(1)} deg, crop field of view ${f.cropFovyDeg.toFixed(1)} deg, landmark error ${(100 * f.meanErrorIod).toFixed(1)}% of the eye distance${fitted.earsCovered ? '; ears under hair left out' : ''})`,
    );
  }
  const pose = pre.face && !profile && !fitted ? facePose(pre.face.landmarks) : null;
  if (pose)
    log(
      `weightfree: face yaw ${pose.fit.yawDeg.toFixed(1)} deg from the 2-D landmark fit (landmark model: ${pre.face?.yawDeg.toFixed(1)} deg)${pose.rebuilt > 0 ? `, landmarks rebuilt at that yaw (${(100 * pose.rebuilt).toFixed(0)}%)` : ''}`,
    );
  const regions = profile?.regions ?? pre.regions;
  const lm = fitted?.landmarks ?? pose?.landmarks ?? profile?.landmarks ?? null;
  let fit: Omit<HeadShape, 'nTheta' | 'nPhi' | 'radius' | 'faceWeight'>;
  let chinRow: number;
  let chinU: number;
  let jaw: Float32Array;
  let oval: [number, number][] = [];
  if (lm) {
    fit = fitted ? fitted.shape : fitHeadFromLandmarks(lm);
    oval = FACE_OVAL.map((i) => [lm[i * 3], lm[i * 3 + 1]] as [number, number]);
    chinRow = lm[LM.chin * 3 + 1];
    chinU = lm[LM.chin * 3];
    // Everything above the chin belongs to the head (the neck's sides under the jaw included: the
    // torso stub starts at the chin, so the head must cover them).
    jaw = jawRows(oval, Math.max(lm[132 * 3 + 1], lm[361 * 3 + 1])).map((r) => Math.max(r, chinRow));
  } else {
    const m = fitHeadFromMatte(matte);
    fit = m.shape;
    chinRow = m.chinRow;
    chinU = m.chinU;
    jaw = new Float32Array(CROP).fill(chinRow);
  }
  const partial = { ...fit, nTheta, nPhi };
  const base = fitted
    ? { radius: fitted.shape.radius, faceWeight: fitted.shape.faceWeight }
    : baseRadii(partial);
  const shape: HeadShape = {
    ...partial,
    radius: Float32Array.from(base.radius),
    faceWeight: base.faceWeight,
  };

  // How long the hair is (the lowest hair the portrait shows); long hair (below the chin) hangs
  // behind the fitted head to that length, and the texture ends the hair there.
  const chinY = lm ? fit.landmarksH[LM.chin][1] : -Infinity;
  const lowestHair = lowestHairY(matte, regions, fit.frame, chinY, fit.faceWidth);
  if (lowestHair !== undefined)
    log(
      `weightfree: hair reaches ${((lowestHair - chinY) / fit.faceWidth).toFixed(2)} face widths above the chin`,
    );
  // Hair hanging below the chin: its lower end, else undefined. A profile shows the nape, whose
  // shadow and a dark collar behind it are the hair's colour more often than a frontal portrait's
  // neck: its hair must hang PROFILE_LONG_HAIR face widths below the chin to be long (a shadowed
  // neck 0.08 below made a short cut a box-shaped curtain).
  const longBelow = profile ? PROFILE_LONG_HAIR * fit.faceWidth : 0;
  const longHairY = lowestHair !== undefined && lowestHair < chinY - longBelow ? lowestHair : undefined;
  if (fitted && longHairY !== undefined) {
    hangHair(shape, longHairY);
    log(
      `weightfree: long hair, hanging ${((chinY - longHairY) / fit.faceWidth).toFixed(2)} face widths below the chin`,
    );
  }

  // Outline fit against the head part of the matte.
  const mask = headMask(matte, regions, jaw, chinRow);
  const [u0, v0] = headToPixel(shape, [0, 0, 0]);
  const target = outlineRadii(mask, u0, v0);
  const valid = new Uint8Array(ANGLE_BINS);
  // A turned face's outline on the side it turns to is its profile (brow, nose, lips) and hair in
  // front of the far temple, not a rim of hair round the skull: grown into the radial head it stood
  // off the far cheek as a flap of hair and ear in every front view. On the fitted head those bins
  // constrain nothing (the model is the skin there); the other side, the top and the back still do.
  const faceX = fit.frame.zAxis[0] / Math.max(1e-6, Math.hypot(fit.frame.zAxis[0], fit.frame.zAxis[2]));
  const turnedTo: HeadProxy['turnedTo'] =
    fitted && Math.abs(faceX) > Math.sin((TURNED_FACE_DEG * Math.PI) / 180) ? (faceX > 0 ? 1 : -1) : 0;
  const ovalGrown = grownOval(oval, 1.06);
  // The input camera's elevation: the skin outline below, the image frame further down.
  const inputElevationDeg = headFit
    ? clampElevation(opts.inputElevationDeg ?? headFit.cameraElevationDeg)
    : pre.elevationDeg;
  // Bins whose outline is skin past the fitted model's (ears, the back of the jaw): fitted near the
  // outline only (silhouette.ts fitToSilhouette `rim`).
  // Only below the eyes (above them a skin-labelled pixel inside the outline is lit hair or a bald
  // crown's, the hair's business) and beside the head, within RIM_FROM_LEVEL_DEG of its horizontal:
  // below that the outline is the chin's and the neck's underside, and grown it hung a double chin
  // under a face seen from above.
  const rim = new Uint8Array(ANGLE_BINS);
  const eyeRow = lm ? (lm[LM.rightEyeOuter * 3 + 1] + lm[LM.leftEyeOuter * 3 + 1]) / 2 : CROP;
  // Below the jaw's angle the skin outline is the jaw's underside seen from below, the neck beside it
  // seen from above (grown into the head it swelled the jaw over the neck): fitted from a camera at
  // the head's level or under it, not from RIM_JAW_ELEVATION_DEG above.
  const gonionRow = lm ? Math.max(lm[132 * 3 + 1], lm[361 * 3 + 1]) : CROP;
  const rimBottomRow =
    chinRow + (gonionRow - chinRow) * Math.min(1, Math.max(0, inputElevationDeg / RIM_JAW_ELEVATION_DEG));
  const binHeight = headBinHeights(fit.frame);
  const rimHeightMax = Math.sin((RIM_FROM_LEVEL_DEG * Math.PI) / 180);
  for (let b = 0; b < ANGLE_BINS; b++) {
    const a = (2 * Math.PI * (b + 0.5)) / ANGLE_BINS;
    const eu = u0 + Math.cos(a) * target[b];
    const ev = v0 + Math.sin(a) * target[b];
    // A profile's face oval is seen edge-on: its outline there is the profile line and the hair over
    // the forehead, which the hair test below tells apart (the oval test left the fringe unfitted and
    // the hair's volume all behind the crown, a bun).
    const inFace = oval.length > 0 && !(profile && fitted) && pointInPolygon(eu, ev, ovalGrown);
    const farSide = turnedTo !== 0 && Math.cos(a) * turnedTo > Math.cos((FAR_SIDE_HALF_ANGLE_DEG * Math.PI) / 180);
    valid[b] = target[b] > 0 && !inFace && !farSide ? 1 : 0;
    // On the fitted model the skin is the model's: only hair (and what it hides) adds volume, so an
    // outline that is skin, neck or clothing (a collar beside the jaw) constrains nothing.
    if (fitted && valid[b]) {
      let isHair = false;
      let isSkin = false;
      for (const depth of profile ? PROFILE_HAIR_PROBE_DEPTHS_PX : [HAIR_PROBE_DEPTH_PX]) {
        const iu = Math.round(u0 + Math.cos(a) * (target[b] - depth));
        const iv = Math.round(v0 + Math.sin(a) * (target[b] - depth));
        if (iu < 0 || iv < 0 || iu >= CROP || iv >= CROP) continue;
        if (regions[iv * CROP + iu] === REGION.hair) isHair = true;
        if (regions[iv * CROP + iu] === REGION.skin) isSkin = true;
      }
      if (!isHair) {
        valid[b] = 0;
        rim[b] = isSkin && !profile && ev > eyeRow && ev < rimBottomRow && Math.abs(binHeight[b]) < rimHeightMax ? 1 : 0;
      }
    }
  }
  // The fitted skull is the head without hair: hair only adds to it (a gain under 1 would shave it).
  // Its base is the head as it stands (the curtain of long hair included), not the bare model.
  const standing = Float32Array.from(shape.radius);
  const gains = fitToSilhouette(
    shape,
    standing,
    target,
    valid,
    4,
    2.2,
    fitted ? 0.97 : 0.7,
    profile !== null,
    rim,
  );
  // Hair present when a useful share of the head mask is hair.
  let hair = 0;
  let head = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    head++;
    if (regions[i] === REGION.hair) hair++;
  }
  const hairPresent = head > 0 && hair / head > 0.04;
  const napeY = lm ? fit.landmarksH[0][1] : -0.35 * fit.faceWidth;
  const sideY = !hairPresent
    ? undefined
    : profile && fitted
      ? profileSideHairY(matte, regions, fit.frame, chinY, fit.faceWidth, fitted.earZ)
      : sideHairY(matte, regions, fit.frame, chinY, fit.faceWidth);
  if (sideY)
    log(
      `weightfree: hair beside the face ends ${sideY.map((y) => (y === undefined ? '?' : ((y - chinY) / fit.faceWidth).toFixed(2))).join(' / ')} face widths above the chin (subject's right / left)`,
    );
  // Where the hair ends round the head: hair hanging below the chin goes down to its lowest point at
  // the back; a shorter cut ends at the nape prior there.
  const hairline = { napeY: longHairY ?? napeY, sideY: sideY ?? ([undefined, undefined] as const) };
  // A profile's hair volume ends at the hairline: the outline it is measured on is the back of the
  // head, whose gain at the nape's height went on down the neck as a bag. (On a frontal portrait the
  // sides are measured directly; ending the volume there too cost the elevation sweep's front views
  // 1.4 dB and facelift-mvd-000 0.02.)
  if (profile && fitted && hairPresent) endVolumeAtHairline(shape, standing, hairline, lowestHair, fit.faceWidth);
  log(
    `weightfree: face width ${fit.faceWidth.toFixed(0)} px, outline gain ${Math.min(...gains).toFixed(2)}..${Math.max(...gains).toFixed(2)}`,
  );

  const centreG = fromHead(shape.frame, [0, 0, 0]);
  // With a fitted head the input camera is the fitted one: its field of view gives the photo's
  // perspective, and its elevation (inputElevationDeg, above) is the run's (the paper's meaning: the elevation the portrait was
  // taken from, view 0 = the input camera). Auto is the fitted one, which makes the head upright in
  // the world; an elevation the user or the ground truth states keeps the fitted pose relative to
  // that camera (a face tilted more than the camera is high reads as a bowed head).
  const inputFovyDeg = headFit ? headFit.cropFovyDeg : DEFAULT_FOVY_DEG;
  const azimuthDeg = lm ? inputAzimuthDeg(inputElevationDeg, fit.frame) : 0;
  const imageFrame = createImageFrame(
    inputElevationDeg,
    orbitAxisZRef(centreG[1], centreG[2], inputElevationDeg),
    inputFovyDeg,
    azimuthDeg,
    DEFAULT_FOVY_DEG,
  );
  if (azimuthDeg !== 0)
    log(
      `weightfree: face turned ${frameYawDeg(fit.frame).toFixed(1)} deg, input camera placed at azimuth ${azimuthDeg.toFixed(1)}`,
    );
  const B = 2 * fit.prior.a;
  const zSlope = Math.tan((inputElevationDeg * Math.PI) / 180);
  // A profile's chin column is the front of the face; its neck is under the jaw, about half a face
  // width further back.
  const neckU = profile ? chinU - profile.facing * 0.45 * fit.faceWidth : chinU;
  // A turned face's body is turned with it (torso.ts turnTorso); a profile's is fitted side-on below.
  const bodyYaw = turnedTo !== 0 && !profile ? Math.atan2(fit.frame.zAxis[0], fit.frame.zAxis[2]) : 0;
  const chestHalfDepth = 0.75 * B;
  const stubZ = centreG[2] + (fitted ? fitted.neckOffsetG[2] : -0.05 * B);
  // The body's outline goes on into the photo round the crop where preprocessing kept it.
  const body = planeMatte(pre, regions);
  // Seen from well above, the neck under the chin is hidden (the chin stands in front of the stub's
  // axis): it is the prior's, and the body's sections are carved to show the body beside and below
  // the head.
  const neck = lm
    ? hiddenNeck(chinRow, neckU, fromHead(fit.frame, fit.landmarksH[LM.chin])[2] - stubZ, fit.faceWidth, inputElevationDeg)
    : null;
  // A camera above sees the body beside the head, above the chin's row (a level one does not: clothing
  // there is a collar or a hood): the shoulders' tops, or below a hidden neck the body's backs.
  const shoulderMask =
    inputElevationDeg >= SHOULDERS_RISE_FROM_DEG && oval.length > 0 ? shoulderPixels(pre, regions, oval, chinRow) : null;
  const torso = buildTorso(
    body.matte,
    body.regions,
    chinRow,
    neckU,
    // On a fitted head the stub hangs from the model's neck base, well behind the head centre; the
    // landmark proxy has no neck of its own, so just behind the centre.
    stubZ,
    chestHalfDepth,
    0.3 * fit.faceWidth,
    {
      zSlope,
      beyond: {
        maxHalfWidth: projectedHalfWidth(SHOULDER_REACH * fit.faceWidth, chestHalfDepth, bodyYaw),
        bottomRow: chinRow + BUST_BELOW_CHIN * fit.faceWidth,
        neckSearchPx: 0.75 * fit.faceWidth,
      },
      plane: body,
      shoulders: shoulderMask ? { pixels: shoulderMask, maxRisePx: SHOULDER_RISE * fit.faceWidth } : null,
      neck,
      target: neck && shoulderMask ? bodyPixels(body, shoulderMask, chinRow) : null,
      reachUnderHair: lm && !profile ? (below) => bodyReachPrior(below, fit.faceWidth) : null,
    },
  );
  if (torso && profile)
    fitTorsoToProfile(
      torso,
      profile.facing,
      profile.facing * (chinU - CROP / 2) - 0.1 * fit.faceWidth,
      CROP / 2 - chinRow,
      fit.faceWidth,
    );
  if (torso && bodyYaw !== 0) turnTorso(torso, bodyYaw);
  const { mesh, headVertexCount, headTriangleCount } = buildProxyMesh(shape, torso, imageFrame);
  const proxy: HeadProxy = {
    mesh,
    texture: appearanceTexturePlaceholder(),
    shape,
    torso,
    imageFrame,
    headVertexCount,
    headTriangleCount,
    breadthWorld: B * imageFrame.pxToWorld,
    portrait: pre.image512,
    projectionWeight: new Float32Array(mesh.positions.length / 3),
    inputVisibility: new Float32Array(mesh.positions.length / 3),
    faceSource: profile ? 'profile' : lm ? 'landmarks' : 'none',
    turnedTo,
    mirrorAxis: null,
  };
  const hairBottomY = hairPresent ? lowestHair : undefined;
  proxy.texture = buildTexture(profile ? profileAsFace(pre, profile) : pre, proxy, {
    seed: opts.seed,
    hairPresent,
    napeY,
    hairline,
    hairBottomY,
    longHairBottomY: hairPresent ? longHairY : undefined,
    fittedHead: fitted !== null,
    earMask: fitted?.earMask,
    ...(profile ? { skinReference: profileCheekColour(pre, profile.landmarks) } : {}),
    log,
  });
  if (profile) paintCanonicalFeatures(proxy, profile);
  return proxy;
}
