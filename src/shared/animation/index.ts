export * from './camera-paths';
export * from './face-anchors';
export { faceFrame, toFace, fromFaceDir, type FaceFrame } from './face-frame';
export * from './expression-rig';
export * from './mouth-cavity';
export * from './expression-track';
