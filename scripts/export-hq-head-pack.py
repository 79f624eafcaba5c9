#!/usr/bin/env python3
"""Export the released HQ-Head checkpoints into a HeadForge model pack (pack format 1).

Recipe version: 1 (2026-11). Run where PyTorch and the HQ-Head-Generation repo are installed:

    cd HQ-Head-Generation            # Biggaoga/HQ-Head-Generation, commit e58d2e7 or later
    python /path/to/headforge/scripts/export-hq-head-pack.py \
        --low ckpt/low_stage.pt --high ckpt/high_stage.pt --recon ckpt/recon.safetensors \
        --out hq-head-pack
    headforge models check hq-head-pack --load

NOT RUN BY THE HEADFORGE AUTHORS: no PyTorch/GPU/weights exist on the machines HeadForge is built on.
Every place that depends on the released code's internals is marked ASSUMPTION; check them against
configs/multiview/*.yaml, vtdm/vtdm_gen_v04.py and core/models.py before trusting the pack, and compare a
few views against pipeline_infer_low.py / pipeline_infer_high.py with the same inputs.

Assumptions (named):
  A1 create_model(config) + init_from_ckpt(path) build the sgm DiffusionEngine for each stage (as in
     pipeline_infer_high.py); .model.diffusion_model is the video U-Net, .first_stage_model the VAE,
     .conditioner the embedders, .scale_factor the latent scale (0.18215).
  A2 The conditioner's vector/crossattn inputs can be rebuilt from (CLIP image embedding, identity
     embedding, elevation) with fps_id=7, motion_bucket_id=127 fixed, as the inference scripts pass;
     `conditioning(...)` below does this through the conditioner's own embedders. Elevation is passed as
     an integer in degrees (batch['elevation'] is int64 there); the graph takes float32 and rounds.
  A3 The unconditional branch zeroes cond_frames / cond_frames_without_noise (force_uc_zero_embeddings)
     and keeps the identity embedding -> pack `unconditional.zeroIdentity: false`.
  A4 Stage 2 starts from 0.5*randn + 0.5*frames_stage1_embedding, scaled by sqrt(1+sigma0^2) in the
     sgm sampler -> xi1 = xi2 = 0.5, mixMode 'mix-then-scale'. Stage-1 latents j are scale_factor * VAE.
  A5 The reconstructor is LGM (core/models.py) with configs/recon/inference.yaml: input 256, splat 128,
     fovy 10, radius 1.5; forward_gaussians(images[1,4,9,256,256]) returns activated [1, N, 14].
     LGM's first input camera is canonical (elevation 0) -> `canonicalFirstView: true`.
  A6 The identity encoder is the ArcFace iresnet in vtdm/encoders.py, input 112x112 RGB normalised to
     [-1, 1], output 512-d; the CLIP image encoder is sgm's FrozenOpenCLIPImageEmbedder (ViT-H, 1024-d).
"""
import argparse, hashlib, json, os
import torch

OPSET = 17
AZIMUTHS = [0, 4.04, 15.47, 33.22, 56.25, 83.5, 113.91, 146.43, 180, -146.43, -113.91, -83.5, -56.25, -33.22, -15.47, -4.04]


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 22), b''):
            h.update(chunk)
    return h.hexdigest()


def export(module, args, path, inputs, outputs, dynamic=None):
    """torch.onnx.export with external data for >2 GB graphs; returns the manifest entry (file, hashes, tensors)."""
    torch.onnx.export(module.eval(), args, path, input_names=[i[0] for i in inputs], output_names=[o[0] for o in outputs],
                      dynamic_axes=dynamic or {}, opset_version=OPSET, do_constant_folding=True)
    entry = {'file': os.path.basename(path), 'sha256': sha256(path), 'externalData': []}
    folder = os.path.dirname(path)
    import onnx  # only for listing external-data files that the exporter wrote next to the graph
    model = onnx.load(path, load_external_data=False)
    for t in model.graph.initializer:
        for kv in t.external_data:
            if kv.key == 'location' and kv.value not in [e['file'] for e in entry['externalData']]:
                entry['externalData'].append({'file': kv.value, 'sha256': sha256(os.path.join(folder, kv.value))})
    return entry


def tensors(spec):
    return {role: {'name': name, 'dtype': 'float32', 'shape': shape} for role, (name, shape) in spec.items()}


class UnetWrapper(torch.nn.Module):
    """(sample [B,16,8,h,w], c_noise [B], clip [B,1,1024], identity [B,512], elevation [B]) -> F_theta [B,16,4,h,w]."""

    def __init__(self, engine):
        super().__init__()
        self.engine = engine

    def forward(self, sample, timestep, clip, identity, elevation):
        B, T = sample.shape[:2]
        context, vector = conditioning(self.engine, clip, identity, torch.round(elevation).long(), T)  # ASSUMPTION A2
        x = sample.flatten(0, 1)
        out = self.engine.model.diffusion_model(x, timestep.repeat_interleave(T), context=context, y=vector,
                                                num_video_frames=T, image_only_indicator=torch.zeros(B, T, device=x.device))
        return out.unflatten(0, (B, T))


def conditioning(engine, clip, identity, elevation, frames):
    """ASSUMPTION A2: rebuild crossattn/vector conditioning from precomputed embeddings via the conditioner's embedders."""
    batch = {'clip_embedding': clip, 'id_embedding': identity, 'elevation': elevation,
             'fps_id': torch.full_like(elevation, 7), 'motion_bucket_id': torch.full_like(elevation, 127),
             'num_video_frames': frames}
    c = engine.conditioner.embed_precomputed(batch) if hasattr(engine.conditioner, 'embed_precomputed') else None
    if c is None:
        raise SystemExit('conditioning(): adapt this function to the conditioner in vtdm/vtdm_gen_v04.py (see A2)')
    return c['crossattn'].repeat_interleave(frames, 0), c['vector'].repeat_interleave(frames, 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--low', required=True); ap.add_argument('--high', required=True); ap.add_argument('--recon', required=True)
    ap.add_argument('--out', required=True); ap.add_argument('--steps', type=int, default=25)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    from vtdm.model import create_model  # ASSUMPTION A1
    low = create_model('configs/multiview/inference_low.yaml'); low.init_from_ckpt(a.low)
    high = create_model('configs/multiview/inference-high.yaml'); high.init_from_ckpt(a.high)
    p = lambda name: os.path.join(a.out, name)
    vae = low.first_stage_model
    nets = {}
    nets['vaeEncoder'] = export(type('E', (torch.nn.Module,), {'forward': lambda s, x: vae.encode(x)})(), (torch.zeros(1, 3, 256, 256),), p('vae_encoder.onnx'),
                                [('image', 0)], [('latent_mean', 0)], {'image': {0: 'N', 2: 'H', 3: 'W'}, 'latent_mean': {0: 'N', 2: 'h', 3: 'w'}})
    nets['vaeEncoder'] |= {'inputs': tensors({'image': ('image', ['N', 3, 'H', 'W'])}), 'outputs': tensors({'latent': ('latent_mean', ['N', 4, 'h', 'w'])})}
    nets['vaeDecoder'] = export(type('D', (torch.nn.Module,), {'forward': lambda s, z: vae.decode(z, timesteps=16)})(), (torch.zeros(16, 4, 32, 32),), p('vae_decoder.onnx'),
                                [('latent', 0)], [('sample', 0)], {'latent': {2: 'h', 3: 'w'}, 'sample': {2: 'H', 3: 'W'}})
    nets['vaeDecoder'] |= {'inputs': tensors({'latent': ('latent', [16, 4, 'h', 'w'])}), 'outputs': tensors({'image': ('sample', [16, 3, 'H', 'W'])})}
    # CLIP and ArcFace encoders: ASSUMPTION A6 — locate them in the conditioner by class name.
    emb = {type(e).__name__: e for e in low.conditioner.embedders}
    clip = emb['FrozenOpenCLIPImageEmbedder']
    nets['clipImage'] = export(type('C', (torch.nn.Module,), {'forward': lambda s, x: clip.encode_with_vision_transformer(x).unsqueeze(1)})(), (torch.zeros(1, 3, 224, 224),),
                               p('clip_image.onnx'), [('pixel_values', 0)], [('image_embeds', 0)])
    nets['clipImage'] |= {'inputs': tensors({'pixels': ('pixel_values', [1, 3, 224, 224])}), 'outputs': tensors({'embedding': ('image_embeds', [1, 1, 1024])})}
    arc = next(e for n, e in emb.items() if 'Arc' in n or 'Id' in n)
    nets['arcface'] = export(type('A', (torch.nn.Module,), {'forward': lambda s, x: arc.model(x)})(), (torch.zeros(1, 3, 112, 112),), p('arcface.onnx'), [('face', 0)], [('embedding', 0)])
    nets['arcface'] |= {'inputs': tensors({'face': ('face', [1, 3, 112, 112])}), 'outputs': tensors({'embedding': ('embedding', [1, 512])})}
    for key, engine, res in (('unetStage1', low, 256), ('unetStage2', high, 512)):
        h = res // 8
        names = [('sample', ['B', 16, 8, h, h]), ('timestep', ['B']), ('encoder_hidden_states', ['B', 1, 1024]), ('identity_embeds', ['B', 512]), ('elevation', ['B'])]
        dummy = tuple(torch.zeros(*[2 if d == 'B' else d for d in s]) for _, s in names)
        nets[key] = export(UnetWrapper(engine), dummy, p(f'{key}.onnx'), names, [('out_sample', 0)], {n: {0: 'B'} for n, _ in names} | {'out_sample': {0: 'B'}})
        roles = ['sample', 'sigma', 'imageEmbedding', 'identityEmbedding', 'elevation']
        nets[key] |= {'inputs': tensors({r: n for r, n in zip(roles, names)}), 'outputs': tensors({'prediction': ('out_sample', ['B', 16, 4, h, h])})}
    from core.models import LGM  # ASSUMPTION A5
    from core.options import config_defaults
    from safetensors.torch import load_file
    lgm = LGM(config_defaults['big']); lgm.load_state_dict(load_file(a.recon), strict=False)
    nets['reconstructor'] = export(type('R', (torch.nn.Module,), {'forward': lambda s, x: lgm.forward_gaussians(x)})(), (torch.zeros(1, 4, 9, 256, 256),),
                                   p('reconstructor.onnx'), [('images', 0)], [('gaussians', 0)])
    nets['reconstructor'] |= {'inputs': tensors({'views': ('images', [1, 4, 9, 256, 256])}), 'outputs': tensors({'gaussians': ('gaussians', [1, 65536, 14])})}
    sampler = {'steps': a.steps, 'sigmaMin': 0.002, 'sigmaMax': 700.0, 'rho': 7, 'prediction': 'v', 'sigmaData': 1, 'guidanceMin': 1.0, 'guidanceMax': 2.5, 'initNoiseScale': 'sqrt1p'}
    manifest = {
        'format': 'headforge-model-pack', 'formatVersion': 1, 'name': 'hq-head', 'version': '1.0.0-export1', 'license': 'Apache-2.0',
        'description': 'HQ-Head (Gao et al., AAAI 2026) ID-TS diffusion + LGM reconstructor, exported by scripts/export-hq-head-pack.py v1',
        'source': f'low={os.path.basename(a.low)} high={os.path.basename(a.high)} recon={os.path.basename(a.recon)}',
        'views': {'azimuthsDeg': AZIMUTHS, 'reconViewIndices': [0, 5, 8, 11], 'fovyDeg': 10, 'orbitRadius': 1.5},
        'vae': {'latentChannels': 4, 'downsample': 8, 'scalingFactor': float(low.scale_factor), 'conditionLatentScaled': False, 'conditionNoiseAug': 0.02},
        'clip': {'size': 224, 'normalisation': {'mean': [0.48145466, 0.4578275, 0.40821073], 'std': [0.26862954, 0.26130258, 0.27577711], 'channelOrder': 'rgb'}},
        'arcface': {'size': 112, 'normalisation': {'mean': [0.5, 0.5, 0.5], 'std': [0.5, 0.5, 0.5], 'channelOrder': 'rgb'}},
        'elevation': {'unit': 'deg'}, 'unconditional': {'zeroIdentity': False},
        'stage1': {'resolution': 256, 'sampler': sampler},
        'stage2': {'resolution': 512, 'sampler': sampler, 'xi1': 0.5, 'xi2': 0.5, 'mixMode': 'mix-then-scale'},
        'reconstructor': {'inputSize': 256, 'splatSize': 128, 'activations': 'applied', 'canonicalFirstView': True,
                          'normalisation': {'mean': [0.485, 0.456, 0.406], 'std': [0.229, 0.224, 0.225], 'channelOrder': 'rgb'}},
        'networks': nets,
    }
    with open(p('pack.json'), 'w') as f:
        json.dump(manifest, f, indent=2)
    print(f'pack written to {a.out}; now run: headforge models check {a.out} --load')


if __name__ == '__main__':
    main()
