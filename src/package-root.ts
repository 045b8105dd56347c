/**
 * deepclust's own folder, found from a module's location: the compiled package is bundled into
 * entry files and shared chunks, so a path relative to a module (`../../package.json`) depends on
 * which file the bundler put it in. Walking up to the nearest package.json does not.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the nearest package.json above `moduleUrl` (a module's `import.meta.url`): deepclust's root, from src/ or dist/. */
export function packageRoot(moduleUrl: string): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`deepclust: no package.json above ${start}; reinstall the package`);
  }
}
