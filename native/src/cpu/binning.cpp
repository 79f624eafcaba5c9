// Tile binning: every visible Gaussian is listed in each 16x16 tile its 3-sigma square touches, and each
// tile's list is sorted front to back by camera depth (ties by Gaussian index -> deterministic).
#include <algorithm>
#include <cstring>
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
  std::vector<int64_t>& start = bins.tileStart;
  // Gaussians are cut into a fixed number of index chunks (independent of the thread count) that count
  // and fill in parallel: chunk c writes its pairs of tile t at chunkStart[c][t], after the pairs of
  // chunks < c, so every tile list is in Gaussian index order exactly as a serial pass would leave it.
  const int64_t chunks = std::max<int64_t>(1, std::min<int64_t>({64, (count + 1023) / 1024, (int64_t(1) << 22) / std::max<int64_t>(1, tiles)}));
  const int64_t chunkSize = (count + chunks - 1) / chunks;
  // Pair count first (rect areas only), so a view with absurdly many overlaps is refused before any
  // per-tile work.
  std::vector<int64_t> chunkPairs(chunks, 0);
  parallelFor(threads, chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; c++) {
      int64_t n = 0;
      for (int64_t i = c * chunkSize, e = std::min(count, (c + 1) * chunkSize); i < e; i++) {
        if (pre.radius[i] <= 0) continue;
        const int32_t* r = &pre.rect[i * 4];
        n += int64_t(r[2] - r[0]) * (r[3] - r[1]);
      }
      chunkPairs[c] = n;
    }
  });
  int64_t total = 0;
  for (int64_t n : chunkPairs) total += n;
  if (total > kMaxTilePairs)
    throw std::runtime_error("too many Gaussian/tile overlaps in this view (over " + std::to_string(kMaxTilePairs) +
                             "): the camera is probably inside or very close to the cloud");
  // chunkCount [chunks * tiles]: pairs of chunk c in tile t, then (after the scan) its write offset.
  std::vector<int64_t> chunkCount(size_t(chunks * tiles), 0);
  parallelFor(threads, chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; c++) {
      int64_t* counts = chunkCount.data() + c * tiles;
      for (int64_t i = c * chunkSize, e = std::min(count, (c + 1) * chunkSize); i < e; i++) {
        if (pre.radius[i] <= 0) continue;
        const int32_t* r = &pre.rect[i * 4];
        for (int ty = r[1]; ty < r[3]; ty++)
          for (int tx = r[0]; tx < r[2]; tx++) counts[int64_t(ty) * bins.tilesX + tx]++;
      }
    }
  });
  int64_t offset = 0;
  for (int64_t t = 0; t < tiles; t++) {
    start[t] = offset;
    for (int64_t c = 0; c < chunks; c++) {
      const int64_t n = chunkCount[c * tiles + t];
      chunkCount[c * tiles + t] = offset;
      offset += n;
    }
  }
  start[tiles] = offset;
  bins.pairGaussian.resize(total);
  // Sort keys [total]: depth bits << 32 | Gaussian index. Depths are > near > 0, and the bit patterns of
  // positive floats order like the floats, so sorting the keys as integers gives depth order with ties
  // broken by index: the same order as comparing (depth, index), without an indirect load per compare.
  const float* depth = pre.depth.data();
  if (bins.sortKeys.size() < size_t(total)) bins.sortKeys.resize(size_t(total));  // grows only: no per-call fill
  uint64_t* keys = bins.sortKeys.data();
  parallelFor(threads, chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; c++) {
      int64_t* fill = chunkCount.data() + c * tiles;
      for (int64_t i = c * chunkSize, e = std::min(count, (c + 1) * chunkSize); i < e; i++) {
        if (pre.radius[i] <= 0) continue;
        uint32_t depthBits;
        std::memcpy(&depthBits, &depth[i], sizeof depthBits);
        const uint64_t key = (uint64_t(depthBits) << 32) | uint32_t(i);
        const int32_t* r = &pre.rect[i * 4];
        for (int ty = r[1]; ty < r[3]; ty++)
          for (int tx = r[0]; tx < r[2]; tx++) keys[fill[int64_t(ty) * bins.tilesX + tx]++] = key;
      }
    }
  });
  parallelFor(threads, tiles, 8, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; t++) {
      uint64_t* first = keys + start[t];
      uint64_t* last = keys + start[t + 1];
      std::sort(first, last);
      uint32_t* out = bins.pairGaussian.data() + start[t];
      for (uint64_t* k = first; k != last; k++) *out++ = uint32_t(*k);
    }
  });
}

}  // namespace hf
