"""Shared parts of the PyTorch reference scripts (bench/torch_*.py): the common command line and set-up,
idx data, dense stacks, metrics, Student-t Q and its target, provenance."""
import argparse, gzip, json, math, os, platform, subprocess
from datetime import datetime, timezone
import numpy as np
import torch
import torch.nn as nn
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


def target_distribution(q):
    """DEC's target P of soft assignments Q: squared, divided by the column sums, rows normalised."""
    w = q ** 2 / q.sum(0)
    return w / w.sum(1, keepdim=True)


def dense_stack(dims, init="glorot"):
    """Linear layers dims[0] -> ... -> dims[-1] with ReLU between (linear last), zero biases; weights
    Glorot-uniform, or `variance-scaling` (Keras VarianceScaling 1/3, fan-in, uniform = U(+-1/sqrt(fan_in)))."""
    layers = []
    for i in range(len(dims) - 1):
        lin = nn.Linear(dims[i], dims[i + 1])
        if init == "variance-scaling":
            bound = 1.0 / math.sqrt(dims[i])  # sqrt(3 * (1/3) / fan_in)
            nn.init.uniform_(lin.weight, -bound, bound)
        else:
            nn.init.xavier_uniform_(lin.weight)
        nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(dims) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def cdc_args(description, subset="train", limit=10000, h=50):
    """The command line both CDC scripts share (each adds its own options): data, subset, size, the
    two phases' lengths, the refresh interval h, seed, threads and the output file."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--data", default="../shared/data/fashion-mnist")
    ap.add_argument("--subset", choices=["train", "test", "all"], default=subset)
    ap.add_argument("--limit", type=int, default=limit)
    ap.add_argument("--pretrain-epochs", type=int, default=100)
    ap.add_argument("--iterations", type=int, default=5000)
    ap.add_argument("--h", type=int, default=h)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out")
    return ap


def cdc_setup(a):
    """Seeds torch, sets the threads, loads the data as flat rows; returns X (tensor), y, the epoch
    generator, n, k and the network's dims d-500-500-2000-10."""
    torch.manual_seed(a.seed); torch.set_num_threads(a.threads)
    gen = torch.Generator().manual_seed(a.seed)
    x, y = load_idx(a.data, a.subset, a.limit or None, a.seed)
    X = torch.from_numpy(x.reshape(len(x), -1))
    return X, y, gen, len(X), int(y.max()) + 1, [X.shape[1], 500, 500, 2000, 10]


def provenance():
    """Commit, date and machine of a result, as bench/provenance.ts gives them to the TypeScript records."""
    def git(*args):
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, cwd=os.path.dirname(__file__)).stdout.strip()
        except OSError:
            return None
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain")), "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": {"node": platform.node(), "cpus": os.cpu_count(), "python": platform.python_version(), "torch": torch.__version__, "loadavg": list(os.getloadavg())}}
