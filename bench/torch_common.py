"""Shared parts of the PyTorch reference scripts (bench/torch_*.py): idx data, metrics, Student-t Q."""
import gzip, json, os
import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def read_idx(path):
    """One gzipped idx file (MNIST format) as a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_idx(root, subset, limit=None, seed=0):
    """Images (float32, pixels / 255, [N, H, W]) and labels of `train`, `test` (t10k) or `all`;
    `limit` takes a stratified random subset (the same share of every class, seeded)."""
    parts = {"train": ["train"], "test": ["t10k"], "all": ["train", "t10k"]}[subset]
    x = np.concatenate([read_idx(os.path.join(root, f"{p}-images-idx3-ubyte.gz")) for p in parts]).astype(np.float32) / 255.0
    y = np.concatenate([read_idx(os.path.join(root, f"{p}-labels-idx1-ubyte.gz")) for p in parts]).astype(np.int64)
    if limit:
        rng = np.random.default_rng(seed)
        take = [rng.choice(np.flatnonzero(y == c), size=round(limit * np.sum(y == c) / len(y)), replace=False) for c in np.unique(y)]
        take = rng.permutation(np.concatenate(take))
        x, y = x[take], y[take]
    return x, y


def cluster_acc(y, p):
    """Clustering accuracy under the best one-to-one map of clusters to classes (Hungarian)."""
    k = max(p.max(), y.max()) + 1
    w = np.zeros((k, k))
    np.add.at(w, (p, y), 1)
    r, c = linear_sum_assignment(-w)
    return w[r, c].sum() / len(y)


def metrics(y, p):
    """ACC, NMI and ARI of predicted clusters `p` against labels `y`."""
    return {"acc": float(cluster_acc(y, p)), "nmi": float(normalized_mutual_info_score(y, p)), "ari": float(adjusted_rand_score(y, p))}


def soft_assign(z, mu):
    """DEC's Student-t soft assignment (alpha 1), rows normalised."""
    q = 1.0 / (1.0 + torch.cdist(z, mu) ** 2)
    return q / q.sum(1, keepdim=True)


def write_json(path, value):
    """Writes JSON atomically: a temporary file renamed into place."""
    with open(path + ".tmp", "w") as f:
        json.dump(value, f, indent=1)
    os.replace(path + ".tmp", path)
