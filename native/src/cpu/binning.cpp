// Tile binning: every visible Gaussian is listed in each 16x16 tile its 3-sigma square touches, and each
// tile's list is sorted front to back by camera depth (ties by Gaussian index -> deterministic).
#include <algorithm>
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
  std::vector<int64_t> fill(start.begin(), start.end() - 1);
  for (int64_t i = 0; i < count; i++) {
    if (pre.radius[i] <= 0) continue;
    const int32_t* r = &pre.rect[i * 4];
    for (int ty = r[1]; ty < r[3]; ty++)
      for (int tx = r[0]; tx < r[2]; tx++) bins.pairGaussian[fill[int64_t(ty) * bins.tilesX + tx]++] = uint32_t(i);
  }
  const float* depth = pre.depth.data();
  parallelFor(threads, tiles, 8, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; t++) {
      uint32_t* first = bins.pairGaussian.data() + start[t];
      uint32_t* last = bins.pairGaussian.data() + start[t + 1];
      std::sort(first, last, [depth](uint32_t a, uint32_t b) {
        return depth[a] < depth[b] || (depth[a] == depth[b] && a < b);
      });
    }
  });
}

}  // namespace hf
