"""Lab for estimating k on the code of auto's deep path (issue #20/#21), run on the files that
bench/k-lab.ts caches under /tmp/autolab (<set>-splan.code.f32, its UMAP .code.umap0/1.f32 and
<set>.labels.i32). Per set, with scikit-learn (equal to src/cluster's k-means and mixture):

- ACC with the true k of k-means (10 starts) and of a full-covariance mixture with 1 and 10 EM
  starts, on the code and on its UMAP (seeds 0 and 1 where present);
- three k criteria not in estimateK, each over k = 2..30:
  * eigengap of the normalised Laplacian of a self-tuned k-NN graph (10 and 20 neighbours);
  * agreement (ARI) between k-means on the code and the mixture on its UMAP;
  * silhouette, in code space, of the mixture's partition of the UMAP.

Writes bench/results/k-lab-<set>.json with commit, date, machine and load.

  /usr/bin/python3 bench/k_lab.py mnist-10k coil-20 fashion
"""
import json, os, subprocess, sys, time, datetime, platform
import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix, diags
from scipy.sparse.linalg import eigsh
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import NearestNeighbors

LAB = '/tmp/autolab'
KS = range(2, 31)


def acc(y, p):
    k = max(y.max(), p.max()) + 1
    m = np.zeros((k, k))
    np.add.at(m, (p, y), 1)
    r, c = linear_sum_assignment(-m)
    return float(m[r, c].sum() / len(y))


def load(name):
    return np.fromfile(f'{LAB}/{name}.f32', dtype=np.float32).reshape(-1, 10).astype(np.float64)


def eigengap(x, nn):
    d, idx = NearestNeighbors(n_neighbors=nn + 1).fit(x).kneighbors(x)
    n = len(x)
    sigma = d[:, -1] + 1e-12
    rows = np.repeat(np.arange(n), nn)
    cols = idx[:, 1:].ravel()
    w = np.exp(-(d[:, 1:].ravel() ** 2) / (sigma[rows] * sigma[cols]))  # Zelnik-Manor & Perona's local scaling
    W = csr_matrix((w, (rows, cols)), shape=(n, n))
    W = W.maximum(W.T)
    deg = np.asarray(W.sum(1)).ravel()
    dm = diags(1 / np.sqrt(np.maximum(deg, 1e-12)))
    vals = eigsh(dm @ W @ dm, k=max(KS) + 1, which='LA', return_eigenvectors=False, tol=1e-6, maxiter=20000)
    lam = np.sort(1 - vals)
    gaps = {k: float(lam[k] - lam[k - 1]) for k in KS}
    return max(gaps, key=gaps.get), gaps


def provenance():
    here = os.path.dirname(os.path.abspath(__file__))
    head = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=here, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no'], cwd=here, capture_output=True, text=True).stdout.strip() != ''
    model = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), 'unknown CPU')
    return {'commit': head + ('-dirty' if dirty else ''), 'date': datetime.datetime.now(datetime.timezone.utc).isoformat(), 'machine': f'{os.cpu_count()}-core {platform.machine()}, {model}', 'loadAverage': os.getloadavg()[0]}


def run(s):
    t0 = time.time()
    y = np.fromfile(f'{LAB}/{s}.labels.i32', dtype=np.int32)
    k = len(set(y.tolist()))
    code = load(f'{s}-splan.code')
    umaps = {f'umap{i}': load(f'{s}-splan.code.umap{i}') for i in (0, 1) if os.path.exists(f'{LAB}/{s}-splan.code.umap{i}.f32')}
    true_k = {}
    for rep, x in {'code': code, **umaps}.items():
        r = {'kmeans10': acc(y, KMeans(k, n_init=10, random_state=0).fit_predict(x))}
        for ni in (1, 10):
            g = GaussianMixture(k, covariance_type='full', n_init=ni, random_state=0).fit(x)
            r[f'gmm{ni}'] = {'acc': acc(y, g.predict(x)), 'meanLogLikelihood': float(g.score(x))}
        true_k[rep] = r
    u = umaps['umap0']
    sample = np.random.RandomState(0).permutation(len(code))[:3000]
    agreement, cross_sil, acc_umap_gmm = {}, {}, {}
    for kk in KS:
        a = KMeans(kk, n_init=3, random_state=0).fit_predict(code)
        b = GaussianMixture(kk, n_init=2, random_state=0).fit(u).predict(u)
        agreement[kk] = float(adjusted_rand_score(a, b))
        cross_sil[kk] = float(silhouette_score(code[sample], b[sample]))
        acc_umap_gmm[kk] = acc(y, b)
    crit = {
        'agreement': {'best': max(agreement, key=agreement.get), 'values': agreement},
        'codeSilhouetteOfUmapMixture': {'best': max(cross_sil, key=cross_sil.get), 'values': cross_sil},
    }
    for nn in (10, 20):
        best, gaps = eigengap(code, nn)
        crit[f'eigengap{nn}'] = {'best': best, 'values': gaps}
    rec = {'suite': 'k-lab', 'set': s, 'trueK': k, 'n': len(y), 'trueKAcc': true_k, 'criteria': crit, 'accOfUmapMixtureByK': acc_umap_gmm, 'seconds': time.time() - t0, **provenance()}
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'results', f'k-lab-{s}.json')
    with open(out, 'w') as f:
        json.dump(rec, f, indent=2)
        f.write('\n')
    print(s, 'true k', k, {c: v['best'] for c, v in crit.items()}, {r: (v['kmeans10'], v['gmm1']['acc'], v['gmm10']['acc']) for r, v in true_k.items()}, flush=True)


if __name__ == '__main__':
    for s in sys.argv[1:]:
        run(s)
