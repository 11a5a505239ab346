"""Writes the resampling reference arrays under src/test/resources/resampling/.

Run with Debian bookworm's python3-numpy 1.24.2, python3-scipy 1.10.1 and python3-skimage 0.19.3 (the
versions nnU-Net's fixtures were made with):  /usr/bin/python3 make_resampling_refs.py
The tests only read the .npy files; Python is not needed to run them. The separate-z and
resize_segmentation parts restate nnU-Net's default_resampling / batchgenerators logic on top of the
real skimage and scipy calls, which are what this reference pins down.
"""
import os
import numpy as np
from scipy.ndimage import map_coordinates
from skimage.transform import resize

OUT = os.path.join(os.path.dirname(__file__), '..', 'resources', 'resampling')
rng = np.random.RandomState(42)


def save(name, a):
    np.save(os.path.join(OUT, name + '.npy'), a)


def smooth(shape):
    # smooth-ish data with sharp edges, like a normalized CT crop
    a = rng.normal(size=shape).astype(np.float32)
    a[..., : shape[-1] // 3] += 2.0
    return a


def resize_segmentation(seg, new_shape, order):
    reshaped = np.zeros(new_shape, dtype=seg.dtype)
    for c in np.unique(seg):
        m = resize((seg == c).astype(float), new_shape, order, mode='edge', clip=True, anti_aliasing=False)
        reshaped[m >= 0.5] = c
    return reshaped


def separate_z(data, new_shape, is_seg, order, order_z):
    # axis 0, as nnU-Net's resample_data_or_seg with do_separate_z and axis [0]
    new2d = new_shape[1:]
    here = np.zeros((data.shape[0], *new2d))
    for s in range(data.shape[0]):
        if is_seg:
            here[s] = resize_segmentation(data[s], new2d, order)
        else:
            here[s] = resize(data[s], new2d, order, mode='edge', anti_aliasing=False)
    if data.shape[0] == new_shape[0]:
        return here
    rows, cols, dim = new_shape
    orig_rows, orig_cols, orig_dim = here.shape
    mr, mc, md = np.mgrid[:rows, :cols, :dim]
    mr = float(orig_rows) / rows * (mr + 0.5) - 0.5
    mc = float(orig_cols) / cols * (mc + 0.5) - 0.5
    md = float(orig_dim) / dim * (md + 0.5) - 0.5
    return map_coordinates(here, np.array([mr, mc, md]), order=order_z, mode='nearest')


# whole-volume skimage resize, up and down per axis, orders 3, 1, 0
v = smooth((7, 9, 11))
save('vol_in', v)
for order in (3, 1, 0):
    save(f'vol_order{order}', resize(v.astype(float), (10, 6, 13), order, mode='edge', anti_aliasing=False))
img = smooth((13, 17))
save('img_in', img)
save('img_order3', resize(img.astype(float), (20, 11), 3, mode='edge', anti_aliasing=False))

# separate-z path: anisotropic volume, in plane order 3, nearest along z (5 -> 8 slices)
a = smooth((5, 12, 10))
save('aniso_in', a)
save('aniso_sepz', separate_z(a.astype(float), (8, 15, 7), False, 3, 0))

# labels -1..2 in blobs: resize_segmentation order 1 (3-d) and the separate-z seg path
zz, yy, xx = np.mgrid[:6, :14, :12]
seg = np.zeros((6, 14, 12), dtype=np.int16)
seg[(yy - 6) ** 2 + (xx - 5) ** 2 < 20] = 1
seg[(yy - 7) ** 2 + (xx - 6) ** 2 + 4 * (zz - 3) ** 2 < 6] = 2
seg[:, :2, :] = -1
save('seg_in', seg)
save('seg_order1', resize_segmentation(seg.astype(float), (9, 19, 10), 1).astype(np.int16))
save('seg_sepz', separate_z(seg.astype(float), (9, 19, 10), True, 1, 0).astype(np.int16))


def separate_z_axis(data, new_shape, is_seg, order, order_z, axis):
    # nnU-Net's resample_data_or_seg separate-z path for any axis, as releases before 2.5 wrote it
    # (slices resized and stacked along the axis; later releases only handle axis 0 correctly)
    new2d = [s for a, s in enumerate(new_shape) if a != axis]
    slices = []
    for s in range(data.shape[axis]):
        sl = np.take(data, s, axis=axis)
        slices.append(resize_segmentation(sl, new2d, order) if is_seg
                      else resize(sl, new2d, order, mode='edge', anti_aliasing=False))
    here = np.stack(slices, axis)
    if here.shape[axis] == new_shape[axis]:
        return here
    rows, cols, dim = new_shape
    orig_rows, orig_cols, orig_dim = here.shape
    mr, mc, md = np.mgrid[:rows, :cols, :dim]
    coords = np.array([float(orig_rows) / rows * (mr + 0.5) - 0.5, float(orig_cols) / cols * (mc + 0.5) - 0.5,
                       float(orig_dim) / dim * (md + 0.5) - 0.5])
    if not is_seg or order_z == 0:
        return map_coordinates(here, coords, order=order_z, mode='nearest')
    out = np.zeros(new_shape)
    for cl in np.sort(np.unique(here)):
        out[np.round(map_coordinates((here == cl).astype(float), coords, order=order_z, mode='nearest')) > 0.5] = cl
    return out


# separate z along the last axis with linear interpolation along it (order_z 1)
b = smooth((10, 12, 5))
save('aniso_last_in', b)
save('aniso_last_sepz_orderz1', separate_z_axis(b.astype(float), (15, 7, 8), False, 3, 1, 2))
seg_last = np.ascontiguousarray(seg.transpose(1, 2, 0))  # (14, 12, 6), low-res axis last
save('seg_last_in', seg_last)
save('seg_last_sepz_orderz1', separate_z_axis(seg_last.astype(float), (19, 10, 9), True, 1, 1, 2).astype(np.int16))
# resize_segmentation with orders 0 and 3 (the per-label path with clipping)
save('seg_order0', resize(seg.astype(float), (9, 19, 10), 0, mode='edge', clip=True, anti_aliasing=False).astype(np.int16))
save('seg_order3', resize_segmentation(seg.astype(float), (9, 19, 10), 3).astype(np.int16))
