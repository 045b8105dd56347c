#!/usr/bin/env python3
"""Exports scikit-learn's 8×8 digits (1797 × 64, pixels / 16) for `deepclust bench estimate-k`.

    python3 bench/estimate-k-digits.py <folder>   # writes <folder>/digits.f64 and <folder>/digits.i32
"""
import os, sys

import numpy as np
from sklearn.datasets import load_digits

out = sys.argv[1]
d = load_digits()
(d.data / 16.0).astype(np.float64).tofile(os.path.join(out, "digits.f64"))
d.target.astype(np.int32).tofile(os.path.join(out, "digits.i32"))
print(d.data.shape)
