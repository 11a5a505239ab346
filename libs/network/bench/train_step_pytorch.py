"""PyTorch-eager reference timing for `nnft bench train-step` (same network, loss, optimizer, thread count).

Usage: /usr/bin/python3 train_step_pytorch.py PLANS.json CONFIGURATION NUM_HEADS THREADS [FREEZE_ENCODER=0|1] [ITERATIONS]
A plain-torch PlainConvUNet (same modules as dynamic_network_architectures), nnU-Net's DC+CE deep-supervision
loss, SGD(momentum 0.99, nesterov, wd 3e-5), clip_grad_norm_(12). Prints the median ms/iteration after warm-up.
"""
import json, sys, time
import numpy as np
import torch
from torch import nn

plans, cfg_name, heads, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
freeze_encoder = len(sys.argv) > 5 and sys.argv[5] == "1"
torch.set_num_threads(threads)
cfg = json.load(open(plans))["configurations"][cfg_name]
kw = cfg["architecture"]["arch_kwargs"]
in_ch = len(cfg["normalization_schemes"])
Conv, Norm, TConv = (nn.Conv3d, nn.InstanceNorm3d, nn.ConvTranspose3d) if len(cfg["patch_size"]) == 3 else (nn.Conv2d, nn.InstanceNorm2d, nn.ConvTranspose2d)


def block(cin, cout, k, s):
    return nn.Sequential(Conv(cin, cout, k, s, [(i - 1) // 2 for i in k], bias=True), Norm(cout, eps=1e-5, affine=True),
                         nn.LeakyReLU(0.01, inplace=True))


def stacked(n, cin, cout, k, s):
    return nn.Sequential(*[block(cin if i == 0 else cout, cout, k, s if i == 0 else 1) for i in range(n)])


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        f, n = kw["features_per_stage"], kw["n_stages"]
        self.encoder = nn.ModuleList()
        c = in_ch
        for s in range(n):
            self.encoder.append(stacked(kw["n_conv_per_stage"][s], c, f[s], kw["kernel_sizes"][s], kw["strides"][s]))
            c = f[s]
        self.tconvs, self.stages, self.seg = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for s in range(1, n):
            self.tconvs.append(TConv(f[-s], f[-s - 1], kw["strides"][-s], kw["strides"][-s], bias=True))
            self.stages.append(stacked(kw["n_conv_per_stage_decoder"][s - 1], 2 * f[-s - 1], f[-s - 1], kw["kernel_sizes"][-s - 1], 1))
            self.seg.append(Conv(f[-s - 1], heads, 1, 1, 0, bias=True))

    def forward(self, x, wanted):
        skips = []
        for st in self.encoder:
            x = st(x)
            skips.append(x)
        out = [None] * len(self.stages)
        lres = skips[-1]
        for s in range(len(self.stages)):
            x = self.stages[s](torch.cat((self.tconvs[s](lres), skips[-(s + 2)]), 1))
            i = len(self.stages) - 1 - s
            if wanted[i]:
                out[i] = self.seg[s](x)
            lres = x
        return out


def dc_ce(logits, target):
    ce = nn.functional.cross_entropy(logits, target[:, 0].long())
    p = torch.softmax(logits, 1)[:, 1:]
    axes = tuple(range(2, logits.ndim))
    with torch.no_grad():
        oh = torch.zeros(logits.shape, device=logits.device, dtype=torch.bool).scatter_(1, target.long(), 1)[:, 1:]
        gt = oh.sum(axes)
    inter, pred = (p * oh).sum(axes), p.sum(axes)
    return ce - ((2 * inter + 1e-5) / torch.clip(gt + pred + 1e-5, 1e-8)).mean()


net = UNet()
if freeze_encoder:
    for p in net.encoder.parameters():
        p.requires_grad_(False)
n_out = len(net.stages)
w = np.array([1 / 2 ** i for i in range(n_out)]); w[-1] = 0; w = w / w.sum()
opt = torch.optim.SGD([p for p in net.parameters() if p.requires_grad], 1e-2, weight_decay=3e-5, momentum=0.99, nesterov=True)
bs, patch = cfg["batch_size"], cfg["patch_size"]
g = torch.Generator().manual_seed(0)
x = torch.randn([bs, in_ch] + patch, generator=g)
t = torch.randint(0, heads, [bs, 1] + patch, generator=g)
scales = np.cumprod(np.array(kw["strides"]), 0)
targets = [t[(slice(None), slice(None)) + tuple(slice(int(sc[d]) // 2 if sc[d] > 1 else 0, None, int(sc[d])) for d in range(len(patch)))]
           for sc in scales[:-1]]
wanted = [wi != 0 for wi in w]


def step():
    opt.zero_grad(set_to_none=True)
    out = net(x, wanted)
    loss = sum(w[i] * dc_ce(out[i], targets[i]) for i in range(n_out) if w[i] != 0)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(net.parameters(), 12)
    opt.step()


for _ in range(3):
    step()
ms, cpu = [], []
for _ in range(int(sys.argv[6]) if len(sys.argv) > 6 else 10):
    t0, c0 = time.perf_counter(), time.process_time()
    step()
    ms.append((time.perf_counter() - t0) * 1e3); cpu.append((time.process_time() - c0) * 1e3)
print(f"torch {torch.__version__} threads {threads} freeze_encoder {freeze_encoder}: "
      f"iterations ms {[round(m, 1) for m in ms]} median {np.median(ms):.1f} ms/iteration; "
      f"median process CPU {np.median(cpu):.1f} ms/iteration")
