// Rolls the per-module declarations tsc writes to dist/.types into one .d.ts per entry point of
// package.json's "exports" (shared types go to dist/types/*.d.ts chunks), so the package ships a
// handful of declaration files instead of one per module.
import { dts } from 'rollup-plugin-dts';

const entries = ['index', 'engine/index', 'nn/index', 'data/index', 'metrics/index', 'cluster/index'];

export default {
  input: Object.fromEntries(entries.map((e) => [e, `dist/.types/${e}.d.ts`])),
  output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'types/[name]-[hash].d.ts' },
  plugins: [dts({ respectExternal: false })],
};
