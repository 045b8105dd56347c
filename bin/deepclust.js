#!/usr/bin/env node
// Entry point of the `deepclust` command: runs the compiled CLI (`npm run build` makes dist/).
// Under --debug, stack traces name the TypeScript sources (dist/ carries inline source maps).
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
try {
  await import('../dist/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/main.js')) throw err;
  process.stderr.write('deepclust: error: dist/cli/main.js is missing; build it with `npm run build` (npm install and npm ci run it)\n');
  process.exitCode = 2;
}
