/**
 * deepclust's layering, as data, and the ESLint rule that enforces it (`deepclust/layers`).
 *
 * Why layers: the engine must stay a stand-alone autodiff-on-ONNX library (it could ship as its
 * own package), the array-level code (cluster, metrics, data) must work without any graph or
 * training code, and the front ends (cli, report, reproduce, worker) sit at the end of the chain,
 * so a change to a front end can never break the library below it (STYLE.md, "Layout and
 * dependencies"). Cycles are checked separately (import-x/no-cycle in eslint.config.js).
 *
 * The rule checks every static import, re-export and literal dynamic import:
 * 1. layers: a file may import its own layer, the BASE files, and the layers LAYERS lists for it.
 *    A file under src/ in no layer is an error: new folders must be placed here on purpose.
 *    Test files (`*.test.ts`, `test/`), `examples/` and `bin/` may import any layer.
 * 2. private files: a `_`-prefixed file or folder is private to the folder that holds it; only
 *    files inside that folder (or below it) may import it. Tests included.
 * 3. packages: a package listed in PACKAGES may be imported only by the files listed for it.
 */
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Leaf modules every layer may use. They import nothing from deepclust (their LAYERS entry is
 * empty), so allowing them keeps the engine free of deepclust dependencies in every sense that
 * matters: errors, the seeded RNG, the Matrix type and "did you mean" hints.
 */
export const BASE = ['src/errors.ts', 'src/random.ts', 'src/matrix.ts', 'src/suggest.ts'];

const LIBRARY = ['src/engine', 'src/nn', 'src/losses', 'src/cluster', 'src/metrics', 'src/data', 'src/methods', 'src/auto'];
const FRONT_ENDS = ['src/report', 'src/reproduce', 'src/worker'];

/** Layer (folder or file, relative to the repository root) → the other layers it may import. */
export const LAYERS = {
  ...Object.fromEntries(BASE.map((f) => [f, []])),
  // autodiff on ONNX; nothing from deepclust but BASE
  'src/engine': [],
  // networks and losses are graphs built with the engine
  'src/nn': ['src/engine'],
  'src/losses': ['src/engine'],
  // typed-array algorithms; k-means and silhouette kernels run on compiled engine graphs
  'src/cluster': ['src/engine'],
  // estimating k scores candidate clusterings with the metrics: a model-selection file above
  // metrics, kept in cluster for its private kernels; the cluster entry re-exports it
  'src/cluster/estimate-k.ts': ['src/engine', 'src/cluster', 'src/metrics'],
  'src/cluster/index.ts': ['src/engine', 'src/cluster', 'src/cluster/estimate-k.ts'],
  // metrics share cluster's input checks and kernels (through src/cluster/shared.ts)
  'src/metrics': ['src/cluster'],
  // loading and preprocessing data sets on plain arrays; the fitted preprocessing's PCA step uses
  // cluster's eigen-solver, and its steps can be appended to an engine graph (exported models
  // that take raw features)
  'src/data': ['src/engine', 'src/cluster'],
  // methods compose the whole library
  'src/methods': ['src/engine', 'src/nn', 'src/losses', 'src/cluster', 'src/metrics', 'src/data'],
  // the automatic method inspects data and composes methods and clustering steps
  'src/auto': ['src/engine', 'src/nn', 'src/losses', 'src/cluster', 'src/metrics', 'src/data', 'src/methods'],
  // front ends: any library layer, never each other (except as listed)
  'src/report': LIBRARY,
  'src/reproduce': LIBRARY,
  'src/worker': LIBRARY,
  // the package entry point re-exports the library and the worker front end
  'src/index.ts': [...LIBRARY, 'src/worker'],
  // the CLI is the top of the chain; `deepclust bench` runs the bench suites
  'src/cli': [...LIBRARY, ...FRONT_ENDS, 'bench'],
  // benchmarks use the library and front ends, never the CLI (which imports them)
  bench: [...LIBRARY, ...FRONT_ENDS],
};

/** Package → the only files (relative to the repository root) that may import it; tests may too. */
export const PACKAGES = {
  // one seam to the runtime: everything else goes through the engine's own types
  'onnxruntime-node': ['src/engine/session.ts'],
};

/** Folders whose files may import any layer (private files and cycles are still checked). */
const UNLAYERED = ['test', 'examples', 'bin'];

const root = dirname(dirname(new URL(import.meta.url).pathname));
const posix = (p) => p.split(sep).join('/');
const within = (path, dir) => path === dir || path.startsWith(`${dir}/`);
const isTest = (path) => /\.test\.[cm]?[jt]s$/.test(path) || UNLAYERED.some((d) => within(path, d));

/** The layer a repository path belongs to (the longest matching key of LAYERS), or undefined. */
export function layerOf(path) {
  let best;
  for (const key of Object.keys(LAYERS)) if (within(path, key) && (!best || key.length > best.length)) best = key;
  return best;
}

/** The folder that owns a private (`_`-prefixed) path, or undefined when no segment is private. */
export function privateOwner(path) {
  const parts = path.split('/');
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i].startsWith('_')) return parts.slice(0, i).join('/');
  return undefined;
}

/** The problem with `from` importing `spec`, or undefined when the import is allowed. */
export function checkImport(from, spec) {
  if (!spec.startsWith('.')) {
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    const only = PACKAGES[pkg];
    if (only && !only.includes(from) && !isTest(from)) return `only ${only.join(', ')} may import '${pkg}'; use the engine's API instead`;
    return undefined;
  }
  const to = posix(relative(root, resolve(root, dirname(from), spec)));
  const owner = privateOwner(to);
  if (owner !== undefined && !within(from, owner)) return `'${to}' is private to ${owner}/; import it through a public module of ${owner}/`;
  if (isTest(from) || !within(from, 'src') && !within(from, 'bench')) return undefined;
  const mine = layerOf(from);
  if (!mine) return `${from} is in no layer; add its folder to LAYERS in eslint/layers.js`;
  const theirs = layerOf(to);
  if (!theirs || theirs === mine || BASE.includes(theirs) && !BASE.includes(mine)) return undefined;
  // a file-level layer inside a folder layer (e.g. src/cluster/estimate-k.ts) is part of that
  // folder for its importers: allowing the folder allows it; cycles are still checked
  if (LAYERS[mine].some((allowed) => within(theirs, allowed))) return undefined;
  return `${mine} may not import ${theirs} (${to}); see the layer table in eslint/layers.js`;
}

/** The ESLint plugin: `deepclust/layers`. */
export default {
  meta: { name: 'deepclust' },
  rules: {
    layers: {
      meta: { type: 'problem', docs: { description: "enforce deepclust's layers, private files and runtime seam" }, schema: [] },
      create(context) {
        const from = posix(relative(root, context.filename));
        const check = (node) => {
          const src = node.source;
          if (!src || src.type !== 'Literal' || typeof src.value !== 'string') return;
          const problem = checkImport(from, src.value);
          if (problem) context.report({ node: src, message: problem });
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
      },
    },
  },
};
