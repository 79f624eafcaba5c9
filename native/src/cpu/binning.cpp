// Tile binning: every visible Gaussian is listed in each 16x16 tile its 3-sigma square touches, and each
// tile's list is sorted front to back by camera depth (ties by Gaussian index -> deterministic).
#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "cpu_internal.h"
#include "headforge/parallel.h"

namespace hf {

void buildBins(const Preprocessed& pre, const Camera& cam, int64_t count, int threads, Binning& bins) {
  bins.tilesX = (cam.width + kTileSize - 1) / kTileSize;
  bins.tilesY = (cam.height + kTileSize - 1) / kTileSize;
  const int64_t tiles = int64_t(bins.tilesX) * bins.tilesY;
  bins.tileStart.assign(tiles + 1, 0);
  // Count per tile (serial: O(pairs) integer work, a small fraction of a step).
  std::vector<int64_t>& start = bins.tileStart;
  int64_t total = 0;
  for (int64_t i = 0; i < count; i++) {
    if (pre.radius[i] <= 0) continue;
    const int32_t* r = &pre.rect[i * 4];
    total += int64_t(r[2] - r[0]) * (r[3] - r[1]);
    if (total > kMaxTilePairs)
      throw std::runtime_error("too many Gaussian/tile overlaps in this view (over " + std::to_string(kMaxTilePairs) +
                               "): the camera is probably inside or very close to the cloud");
    for (int ty = r[1]; ty < r[3]; ty++)
      for (int tx = r[0]; tx < r[2]; tx++) start[int64_t(ty) * bins.tilesX + tx + 1]++;
  }
  for (int64_t t = 0; t < tiles; t++) start[t + 1] += start[t];
  bins.pairGaussian.resize(total);
  // Sort keys [total]: depth bits << 32 | Gaussian index. Depths are > near > 0, and the bit patterns of
  // positive floats order like the floats, so sorting the keys as integers gives depth order with ties
  // broken by index: the same order as comparing (depth, index), without an indirect load per compare.
  const float* depth = pre.depth.data();
  std::unique_ptr<uint64_t[]> keys(new uint64_t[size_t(total)]);
  std::vector<int64_t> fill(start.begin(), start.end() - 1);
  for (int64_t i = 0; i < count; i++) {
    if (pre.radius[i] <= 0) continue;
    uint32_t depthBits;
    std::memcpy(&depthBits, &depth[i], sizeof depthBits);
    const uint64_t key = (uint64_t(depthBits) << 32) | uint32_t(i);
    const int32_t* r = &pre.rect[i * 4];
    for (int ty = r[1]; ty < r[3]; ty++)
      for (int tx = r[0]; tx < r[2]; tx++) keys[fill[int64_t(ty) * bins.tilesX + tx]++] = key;
  }
  parallelFor(threads, tiles, 8, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; t++) {
      uint64_t* first = keys.get() + start[t];
      uint64_t* last = keys.get() + start[t + 1];
      std::sort(first, last);
      uint32_t* out = bins.pairGaussian.data() + start[t];
      for (uint64_t* k = first; k != last; k++) *out++ = uint32_t(*k);
    }
  });
}

}  // namespace hf
