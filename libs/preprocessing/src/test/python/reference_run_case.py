"""Same-machine timing reference for `nnft bench preprocess`: nnU-Net v2's DefaultPreprocessor.run_case
restated on the real numpy/scipy/skimage calls it makes (nibabel read, crop_to_nonzero with
binary_fill_holes, the plan's normalization, resample_data_or_seg_to_shape for data and seg including
the separate-z path, class-location sampling), for hosts where nnunetv2 itself cannot be installed.

  /usr/bin/python3 reference_run_case.py RAW_DIR CASE PLANS.json CONFIGURATION [OUT_DIR]

Prints seconds per stage; with OUT_DIR writes <case>.npy and <case>_seg.npy for comparison.
"""
import json
import os
import sys
import time

import nibabel
import numpy as np
from scipy.ndimage import binary_fill_holes, map_coordinates
from skimage.transform import resize

raw, case, plans_file, cfg = sys.argv[1:5]
out_dir = sys.argv[5] if len(sys.argv) > 5 else None
plans = json.load(open(plans_file))
c = plans['configurations'][cfg]
ds = json.load(open(os.path.join(raw, 'dataset.json')))
t = {}


def tick(name, t0):
    t[name] = time.time() - t0
    return time.time()


t0 = time.time()
nch = len(ds['channel_names'])
imgs = [nibabel.load(os.path.join(raw, 'imagesTr', f'{case}_{i:04d}{ds["file_ending"]}')) for i in range(nch)]
data = np.vstack([i.get_fdata().transpose((2, 1, 0))[None] for i in imgs]).astype(np.float32)
seg = nibabel.load(os.path.join(raw, 'labelsTr', case + ds['file_ending'])).get_fdata().transpose((2, 1, 0))[None].astype(np.float32)
spacing = [float(i) for i in imgs[0].header.get_zooms()[::-1]]
t0 = tick('read', t0)

tf = plans['transpose_forward']
data = data.transpose([0, *[i + 1 for i in tf]])
seg = seg.transpose([0, *[i + 1 for i in tf]])
spacing = [spacing[i] for i in tf]
mask = binary_fill_holes(np.any(data != 0, axis=0))
idx = [np.where(np.any(mask, axis=tuple(a for a in range(3) if a != ax)))[0] for ax in range(3)]
bbox = [[int(i[0]), int(i[-1]) + 1] for i in idx]
sl = tuple(slice(a, b) for a, b in bbox)
data = data[(slice(None), *sl)]
seg = seg[(slice(None), *sl)]
m = mask[sl][None]
seg[(seg == 0) & (~m)] = -1
t0 = tick('crop', t0)

target = c['spacing'] if len(c['spacing']) == 3 else [spacing[0]] + c['spacing']
new_shape = [int(round(i / j * k)) for i, j, k in zip(spacing, target, data.shape[1:])]
for ch in range(data.shape[0]):
    scheme = c['normalization_schemes'][ch]
    p = plans['foreground_intensity_properties_per_channel'][str(ch)]
    if scheme == 'CTNormalization':
        np.clip(data[ch], p['percentile_00_5'], p['percentile_99_5'], out=data[ch])
        data[ch] -= p['mean']
        data[ch] /= max(p['std'], 1e-8)
    elif scheme == 'ZScoreNormalization':
        data[ch] = (data[ch] - data[ch].mean()) / max(data[ch].std(), 1e-8)
t0 = tick('normalize', t0)


def lowres_axis(s):
    return np.where(max(s) / np.array(s) == 1)[0]


def resize_segmentation(s, shape, order):
    out = np.zeros(shape, dtype=s.dtype)
    for lab in np.unique(s):
        r = resize((s == lab).astype(float), shape, order, mode='edge', clip=True, anti_aliasing=False)
        out[r >= 0.5] = lab
    return out


def resample(d, is_seg, order, order_z):
    shape = np.array(d[0].shape)
    ns = np.array(new_shape)
    if np.all(shape == ns):
        return d
    if max(spacing) / min(spacing) > 3:
        axis = lowres_axis(spacing)
    elif max(target) / min(target) > 3:
        axis = lowres_axis(target)
    else:
        axis = None
    fn = (lambda x, s: resize_segmentation(x, s, order)) if is_seg else \
        (lambda x, s: resize(x, s, order, mode='edge', anti_aliasing=False))
    d = d.astype(float)
    out = np.zeros((d.shape[0], *ns))
    for ch in range(d.shape[0]):
        if axis is None or len(axis) != 1:
            out[ch] = fn(d[ch], ns)
            continue
        assert axis[0] == 0, 'this reference only restates the axis-0 case'
        here = np.zeros((shape[0], *ns[1:]))
        for s in range(shape[0]):
            here[s] = fn(d[ch, s], ns[1:])
        if shape[0] != ns[0]:
            rows, cols, dim = ns
            mr, mc, md = np.mgrid[:rows, :cols, :dim]
            mr = float(shape[0]) / rows * (mr + 0.5) - 0.5
            out[ch] = map_coordinates(here, np.array([mr, mc, md]), order=order_z, mode='nearest')
        else:
            out[ch] = here
    return out


dk = c['resampling_fn_data_kwargs']
sk = c['resampling_fn_seg_kwargs']
data = resample(data, False, dk['order'], dk['order_z']).astype(np.float32)
t0 = tick('resample_data', t0)
seg = resample(seg, True, sk['order'], sk['order_z'])
t0 = tick('resample_seg', t0)
rnd = np.random.RandomState(1234)
for lab in sorted(int(v) for k, v in ds['labels'].items() if int(v) != 0):
    locs = np.argwhere(seg == lab)
    if len(locs):
        n = max(min(10000, len(locs)), int(np.ceil(len(locs) * 0.01)))
        locs[rnd.choice(len(locs), n, replace=False)]
seg = seg.astype(np.int8)
t0 = tick('class_locations', t0)
print(json.dumps({k: round(v, 3) for k, v in t.items()}), 'total', round(sum(t.values()), 3), 's', 'shape', data.shape)
if out_dir:
    np.save(os.path.join(out_dir, case + '.npy'), data)
    np.save(os.path.join(out_dir, case + '_seg.npy'), seg)
