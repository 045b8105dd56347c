/**
 * Entry of fitInWorker's worker thread. The library ships TypeScript sources, and on Node 20 a
 * worker does not inherit the parent's `--import tsx` hooks (nor those of `register()`), so this
 * plain-JS file loads the worker module through tsx itself. `tsImport` keeps its hooks to its own
 * namespace: where tsx is also registered globally in the worker (newer Node), the two do not
 * transform the same file twice.
 */
import { tsImport } from 'tsx/esm/api';

await tsImport('./fit-worker.ts', import.meta.url);
