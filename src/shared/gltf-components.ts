/**
 * glTF 2.0 accessor components, for every reader of glTF buffers (the splat GLB codec, the evaluation's
 * mesh loader): the byte size of each componentType and one little-endian component's value, with
 * normalized integers mapped to [0, 1] (unsigned) or [-1, 1] (signed, clamped at -1) as the spec says.
 */

/** Bytes per component: 5120 int8, 5121 uint8, 5122 int16, 5123 uint16, 5125 uint32, 5126 float32. */
export const GLTF_COMPONENT_BYTES: Readonly<Record<number, number>> = {
  5120: 1,
  5121: 1,
  5122: 2,
  5123: 2,
  5125: 4,
  5126: 4,
};

/** The component at byte `offset`; `componentType` must be one of GLTF_COMPONENT_BYTES's keys. */
export function readGltfComponent(
  dv: DataView,
  offset: number,
  componentType: number,
  normalized: boolean,
): number {
  switch (componentType) {
    case 5126:
      return dv.getFloat32(offset, true);
    case 5125:
      return dv.getUint32(offset, true);
    case 5123: {
      const v = dv.getUint16(offset, true);
      return normalized ? v / 65535 : v;
    }
    case 5122: {
      const v = dv.getInt16(offset, true);
      return normalized ? Math.max(v / 32767, -1) : v;
    }
    case 5121: {
      const v = dv.getUint8(offset);
      return normalized ? v / 255 : v;
    }
    case 5120: {
      const v = dv.getInt8(offset);
      return normalized ? Math.max(v / 127, -1) : v;
    }
    default:
      throw new RangeError(`glTF componentType ${componentType} is not one of 5120-5126`);
  }
}
