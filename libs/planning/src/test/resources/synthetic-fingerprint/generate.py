# Generates small 2-channel cases and the foreground statistics nnU-Net's fingerprint extractor computes
# for them (collect_foreground_intensities + the concatenation and reductions of run()), with
# num_samples=1000 per case so the 8192-element reduce buffer never splits (numpy 1.24 == 2.x here).
# Case c2 has no foreground: nnU-Net then concatenates a python [] and reduces in float64.
import numpy as np, json
rs = np.random.RandomState(42)
cases = {}
for name, shape, fg in [('c0', (6, 10, 12), True), ('c1', (8, 9, 7), True), ('c2', (5, 6, 7), False), ('c3', (7, 7, 7), True)]:
    img0 = rs.randint(-100, 400, size=shape).astype(np.float32)
    img1 = (rs.randn(*shape) * 30 + 7.25).astype(np.float32)
    img0[0] = 0; img1[0] = 0          # a zero slab: cropped away
    seg = (rs.rand(*shape) > 0.6).astype(np.float32) * (2 if fg else 0)
    seg[0, :3] = 1 if fg else 0        # labels in the cropped-away slab must be ignored
    np.save(f'{name}_0000.npy', img0); np.save(f'{name}_0001.npy', img1); np.save(f'{name}_seg.npy', seg)
    cases[name] = (np.stack([img0, img1]), seg[None])

def crop(data, seg):
    nz = np.any(data != 0, axis=0)
    idx = np.where(nz); bb = [(i.min(), i.max() + 1) for i in idx]
    sl = tuple(slice(a, b) for a, b in bb)
    return data[(slice(None),) + sl], seg[(slice(None),) + sl]

per_channel = [[], []]
for name, (data, seg) in cases.items():
    d, s = crop(data, seg)
    r = np.random.RandomState(1234)
    fgmask = s[0] > 0
    for c in range(2):
        px = d[c][fgmask]
        per_channel[c].append(r.choice(px, 1000, replace=True) if len(px) > 0 else [])
def stats(lists):
    out = {}
    for c in range(2):
        a = np.concatenate(lists[c])
        p005, p50, p995 = np.percentile(a, (0.5, 50.0, 99.5))
        out[str(c)] = {'max': float(np.max(a)), 'mean': float(np.mean(a)), 'median': float(p50),
                       'min': float(np.min(a)), 'percentile_00_5': float(p005), 'percentile_99_5': float(p995),
                       'std': float(np.std(a)), 'dtype': str(a.dtype)}
    return out

without_empty = [[x for j, x in enumerate(per_channel[c]) if j != 2] for c in range(2)]
json.dump({'with_empty_case_float64': stats(per_channel), 'without_empty_case_float32': stats(without_empty)},
          open('expected.json', 'w'), indent=1)
