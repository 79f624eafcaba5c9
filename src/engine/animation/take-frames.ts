/** An ARKit take (Live Link Face CSV) driving a bound head: the cloud to draw at each time of the clip. */
import { arkitHeadRotationAt, arkitWeightsAt, type ArkitTake } from '../../shared/animation/arkit-csv';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { BlendMode, BoundHead } from './bound-head';

/**
 * Per frame: the take's blend at that time and, when it has the HeadYaw / HeadPitch / HeadRoll
 * columns, its head rotation (head, hair and neck turn; the torso stays).
 */
export function takeFrameCloud(
  bound: BoundHead,
  take: ArkitTake,
  mode: BlendMode = 'relative',
): (frame: number, timeS: number) => GaussianCloud {
  return (_frame, timeS) =>
    bound.frame(arkitWeightsAt(take, timeS), mode, arkitHeadRotationAt(take, timeS) ?? undefined).cloud;
}

/** One line for the log: what of the take drives the head. */
export function describeTake(take: ArkitTake): string {
  return take.head
    ? 'blend shapes and head rotation (HeadYaw / HeadPitch / HeadRoll; head, hair and neck turn, the torso stays)'
    : 'blend shapes (no head rotation columns)';
}
