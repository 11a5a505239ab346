#!/usr/bin/env python3
"""Manual cross-check of nnft's checkpoint export against real PyTorch (offline; needs only torch + numpy,
e.g. Debian's `apt-get install python3-torch python3-numpy`). Not run by the build.

Usage:
  python3 check_torch_load.py ORIGINAL.pth EXPORTED.pth STATE_DICT.pth [BUILT.pth] [W.safetensors] [INPUT.npy LOGITS.npy]

ORIGINAL.pth   nnU-Net's own checkpoint (fixture checkpoint_final.pth)
EXPORTED.pth   NnUNetCheckpoint.read(ORIGINAL).write(...)
STATE_DICT.pth StateDictFile.write(..., networkWeights)
BUILT.pth      a checkpoint assembled in Java from canonical weights (optional)
W.safetensors  SafeTensors.write(..., canonicalWeights) (optional; parsed by hand per the spec)
INPUT/LOGITS   fixture input.npy / output_logits.npy: run the loaded network forward and compare (optional)

Checks: torch.load works (weights_only=False for full checkpoints, weights_only=True for the plain
state_dict), every value equals the original with the same Python/numpy/torch types, aliased state_dict
entries share storage, and a module with PlainConvUNet's registration layout (built here from the
checkpoint's own plans) accepts load_state_dict(strict=True).
"""
import sys
from collections import OrderedDict

import numpy as np
import torch
from torch import nn


def same(a, b, path):
    assert type(a) is type(b), f"{path}: type {type(a)} vs {type(b)}"
    if isinstance(a, torch.Tensor):
        assert a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b), f"{path}: tensor differs"
    elif isinstance(a, dict):
        assert list(a.keys()) == list(b.keys()), f"{path}: keys differ"
        for k in a:
            same(a[k], b[k], f"{path}[{k!r}]")
        if hasattr(a, "_metadata") or hasattr(b, "_metadata"):
            assert getattr(a, "_metadata", None) == getattr(b, "_metadata", None), f"{path}: _metadata differs"
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), f"{path}: length differs"
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, np.generic):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), f"{path}: numpy scalar differs"
    else:
        assert a == b, f"{path}: {a!r} vs {b!r}"


class ConvDropoutNormReLU(nn.Module):
    # registration order of dynamic_network_architectures: conv, norm, nonlin, all_modules (no dropout)
    def __init__(self, cin, cout, k, stride, eps):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, k, stride, padding=[i // 2 for i in k], bias=True)
        self.norm = nn.InstanceNorm3d(cout, eps=eps, affine=True)
        self.nonlin = nn.LeakyReLU(0.01, inplace=True)
        self.all_modules = nn.Sequential(self.conv, self.norm, self.nonlin)

    def forward(self, x):
        return self.all_modules(x)


class StackedConvBlocks(nn.Module):
    def __init__(self, n, cin, cout, k, stride, eps):
        super().__init__()
        self.convs = nn.Sequential(ConvDropoutNormReLU(cin, cout, k, stride, eps),
                                   *[ConvDropoutNormReLU(cout, cout, k, 1, eps) for _ in range(1, n)])

    def forward(self, x):
        return self.convs(x)


class Encoder(nn.Module):
    def __init__(self, a, cin, eps):
        super().__init__()
        stages = []
        for s in range(a["n_stages"]):
            stages.append(nn.Sequential(StackedConvBlocks(a["n_conv_per_stage"][s], cin, a["features_per_stage"][s],
                                                          a["kernel_sizes"][s], a["strides"][s], eps)))
            cin = a["features_per_stage"][s]
        self.stages = nn.Sequential(*stages)

    def forward(self, x):
        skips = []
        for s in self.stages:
            x = s(x)
            skips.append(x)
        return skips


class Decoder(nn.Module):
    def __init__(self, encoder, a, n_classes, eps):
        super().__init__()
        self.encoder = encoder
        f, st, ks = a["features_per_stage"], a["strides"], a["kernel_sizes"]
        stages, tconvs, segs = [], [], []
        for s in range(1, a["n_stages"]):
            below, skip = f[-s], f[-(s + 1)]
            tconvs.append(nn.ConvTranspose3d(below, skip, st[-s], st[-s], bias=True))
            stages.append(StackedConvBlocks(a["n_conv_per_stage_decoder"][s - 1], 2 * skip, skip, ks[-(s + 1)], 1, eps))
            segs.append(nn.Conv3d(skip, n_classes, 1, 1, 0, bias=True))
        self.stages = nn.ModuleList(stages)
        self.transpconvs = nn.ModuleList(tconvs)
        self.seg_layers = nn.ModuleList(segs)

    def forward(self, skips):
        x = skips[-1]
        for s in range(len(self.stages)):
            x = self.stages[s](torch.cat((self.transpconvs[s](x), skips[-(s + 2)]), 1))
        return self.seg_layers[-1](x)


class UNet(nn.Module):
    def __init__(self, a, cin, n_classes):
        super().__init__()
        eps = a["norm_op_kwargs"]["eps"]
        self.encoder = Encoder(a, cin, eps)
        self.decoder = Decoder(self.encoder, a, n_classes, eps)

    def forward(self, x):
        return self.decoder(self.encoder(x))


def main(argv):
    original, exported, state_dict = argv[1], argv[2], argv[3]
    built = argv[4] if len(argv) > 4 and argv[4].endswith(".pth") else None
    npys = [a for a in argv[4:] if a.endswith(".npy")]
    safetensors = [a for a in argv[4:] if a.endswith(".safetensors")]
    print("torch", torch.__version__, "numpy", np.__version__)

    ref = torch.load(original, map_location="cpu", weights_only=False)
    ours = torch.load(exported, map_location="cpu", weights_only=False)
    same(ref, ours, "checkpoint")
    print(f"full export: torch.load(weights_only=False) OK, {len(ours['network_weights'])} keys, all values and types equal")
    w = ours["network_weights"]
    ptrs = {t.data_ptr() for t in w.values()}
    assert len(ptrs) == 68, len(ptrs)
    assert w["decoder.encoder.stages.0.0.convs.0.all_modules.0.weight"].data_ptr() == \
        w["encoder.stages.0.0.convs.0.conv.weight"].data_ptr()
    print("aliases share storage: 188 keys over", len(ptrs), "distinct storages")
    for name, path in (("original", original), ("export", exported)):
        try:
            torch.load(path, map_location="cpu", weights_only=True)
            print(f"{name}: weights_only=True accepted")
        except Exception as e:  # numpy scalars in logging are not on torch's weights_only allow-list
            print(f"{name}: weights_only=True refused as expected ({type(e).__name__}: {str(e).splitlines()[0][:90]})")

    sd = torch.load(state_dict, map_location="cpu", weights_only=True)
    assert type(sd) is OrderedDict
    same(ref["network_weights"], sd, "state_dict")
    print(f"plain state_dict: torch.load(weights_only=True) OK, {len(sd)} keys equal the original, _metadata equal")

    if built:
        b = torch.load(built, map_location="cpu", weights_only=False)
        assert list(b.keys()) == list(ref.keys()), list(b.keys())
        same(ref["network_weights"], b["network_weights"], "built.network_weights")
        for k in ("current_epoch", "trainer_name", "inference_allowed_mirroring_axes", "grad_scaler_state"):
            assert type(b[k]) is type(ref[k]), k
        assert type(b["_best_ema"]) is np.float64 and type(b["logging"]["train_losses"][0]) is np.float32
        assert type(b["logging"]["mean_fg_dice"][0]) is np.float64 and type(b["logging"]["lrs"][0]) is float
        assert b["init_args"]["device"] == torch.device("cpu") and b["init_args"]["plans"] == ref["init_args"]["plans"]
        same(ref["optimizer_state"]["state"], b["optimizer_state"]["state"], "built.optimizer_state.state")
        print("built-from-canonical checkpoint: same keys, weights, optimizer state and scalar types as nnU-Net's")

    plans = ours["init_args"]["plans"]
    a = plans["configurations"][ours["init_args"]["configuration"]]["architecture"]["arch_kwargs"]
    n_in = len(ours["init_args"]["dataset_json"]["channel_names"])
    n_cls = len(ours["init_args"]["dataset_json"]["labels"])
    net = UNet(a, n_in, n_cls)
    assert list(net.state_dict().keys()) == list(w.keys()), "key order of the mirror module differs"
    net.load_state_dict(w, strict=True)
    print(f"load_state_dict(strict=True) accepted by a PlainConvUNet-layout module ({len(net.state_dict())} keys, same order)")
    net2 = UNet(a, n_in, n_cls)
    net2.load_state_dict(sd, strict=True)
    print("load_state_dict(strict=True) of the plain state_dict accepted")

    for st in safetensors:  # parsed with the spec by hand: no safetensors package needed
        raw = open(st, "rb").read()
        n = int.from_bytes(raw[:8], "little")
        import json
        header = json.loads(raw[8:8 + n])
        header.pop("__metadata__", None)
        canonical = {k: v for k, v in w.items() if "all_modules" not in k and not k.startswith("decoder.encoder.")}
        assert list(header.keys()) == list(canonical.keys())
        for k, h in header.items():
            b, e = h["data_offsets"]
            arr = np.frombuffer(raw[8 + n + b:8 + n + e], dtype={"F32": "<f4"}[h["dtype"]]).reshape(h["shape"])
            assert torch.equal(torch.from_numpy(arr.copy()), canonical[k]), k
        print(f"safetensors {st}: {len(header)} canonical tensors equal the checkpoint's")

    if len(npys) == 2:
        x = torch.from_numpy(np.load(npys[0]))
        expected = np.load(npys[1])
        net.eval()
        with torch.no_grad():
            y = net(x).numpy()
        diff = float(np.abs(y - expected).max())
        print(f"forward of the loaded export vs nnU-Net's output_logits.npy: max |diff| = {diff:.3g}")
        assert diff < 1e-4
    print("ALL CHECKS PASSED")


if __name__ == "__main__":
    main(sys.argv)
