"""Writes resources/ct/arrays/: case ct_000 as nnU-Net's NibabelIO reads it (image (1, z, y, x), stored as int16 as the values are integral,
from get_fdata().transpose(2, 1, 0), label likewise, spacing get_zooms()[::-1]), so the preprocessor can
be checked against nnU-Net's run_case outputs independently of our NIfTI reader.
Run with Debian bookworm's python3-nibabel:  /usr/bin/python3 make_ct_arrays.py
"""
import json
import os
import nibabel
import numpy as np

HERE = os.path.join(os.path.dirname(__file__), '..', 'resources', 'ct')
os.makedirs(os.path.join(HERE, 'arrays'), exist_ok=True)
img = nibabel.load(os.path.join(HERE, 'raw', 'imagesTr', 'ct_000_0000.nii.gz'))
seg = nibabel.load(os.path.join(HERE, 'raw', 'labelsTr', 'ct_000.nii.gz'))
np.save(os.path.join(HERE, 'arrays', 'ct_000_data.npy'), img.get_fdata().transpose((2, 1, 0))[None].astype(np.int16))  # int16 on disk: lossless for this int16 CT
np.save(os.path.join(HERE, 'arrays', 'ct_000_seg.npy'), seg.get_fdata().transpose((2, 1, 0))[None].astype(np.int16))
with open(os.path.join(HERE, 'arrays', 'ct_000_reader.json'), 'w') as f:
    json.dump({'nibabel_stuff': {'original_affine': img.affine.tolist()},
               'spacing': [float(i) for i in img.header.get_zooms()[::-1]]}, f)
