"""Writes resources/cropping/: random masks with holes and their scipy.ndimage.binary_fill_holes
(scipy 1.10.1, Debian bookworm), the hole filling inside nnU-Net's create_nonzero_mask.
Run:  /usr/bin/python3 make_cropping_refs.py
"""
import os
import numpy as np
from scipy.ndimage import binary_fill_holes, gaussian_filter

OUT = os.path.join(os.path.dirname(__file__), '..', 'resources', 'cropping')
rng = np.random.RandomState(7)
for name, shape, sigma in (('blobs3d', (14, 23, 19), 1.2), ('blobs2d', (1, 40, 37), 1.5), ('speckle3d', (9, 11, 13), 0.6)):
    m = gaussian_filter(rng.normal(size=shape), sigma) > 0
    # a closed shell with an inner cavity, to be sure there is a hole
    z, y, x = np.ogrid[:shape[0], :shape[1], :shape[2]]
    c = [s // 2 for s in shape]
    r = ((z - c[0]) / max(shape[0] / 3, 1)) ** 2 + ((y - c[1]) / (shape[1] / 3)) ** 2 + ((x - c[2]) / (shape[2] / 3)) ** 2
    m |= (r < 1) & (r > 0.5)
    m &= ~(r <= 0.5)
    np.save(os.path.join(OUT, name + '_mask.npy'), m.astype(np.uint8))
    np.save(os.path.join(OUT, name + '_filled.npy'), binary_fill_holes(m).astype(np.uint8))
    print(name, m.sum(), binary_fill_holes(m).sum())
