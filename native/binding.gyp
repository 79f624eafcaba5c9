{
  # HeadForge differentiable Gaussian rasterizer (CPU backend; CUDA slots in behind include/headforge/backend.h).
  # -march=x86-64-v2, not native: the binary must run on any CI machine of the same kind.
  # No -ffast-math: the NaN guards and bit-exact determinism rely on IEEE semantics.
  "targets": [
    {
      "target_name": "headforge_raster",
      "sources": [
        "src/cpu/preprocess.cpp",
        "src/cpu/binning.cpp",
        "src/cpu/forward.cpp",
        "src/cpu/blend_avx2.cpp",
        "src/train/blur_avx2.cpp",
        "src/cpu/backward.cpp",
        "src/cpu/cpu_backend.cpp",
        "src/train/ssim_loss.cpp",
        "src/train/adam.cpp",
        "src/train/densify.cpp",
        "src/train/trainer.cpp",
        "src/napi/convert.cpp",
        "src/napi/render_api.cpp",
        "src/napi/trainer_api.cpp",
        "src/napi/addon.cpp"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "include"
      ],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions", "-O2", "-O3"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags": ["-O3", "-march=x86-64-v2", "-fno-math-errno", "-pthread"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "-march=x86-64-v2", "-fno-math-errno", "-pthread"],
      "ldflags": ["-pthread"],
      # dlopen() of the optional CUDA backend (native/cuda/cuda_loader.h); part of libc on glibc >= 2.34.
      "conditions": [["OS=='linux'", { "libraries": ["-ldl"] }]],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-O3"]
      },
      "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1 } }
    }
  ]
}
