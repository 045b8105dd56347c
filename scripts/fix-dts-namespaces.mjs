// Repairs one flaw of rollup-plugin-dts in the rolled declarations: a namespace re-export
// (`export * as engine from './engine/index.ts'`) is built as `declare const ns_X: typeof X;` for
// every member X, even where X is imported from another declaration chunk and is only a type
// (then the consumer's tsc says "'X' only refers to a type") or is a class (then `engine.X` works
// as a value but not as a type). Each such member gets the right form: `type ns_X = X;` for a
// type, both lines for a class or enum. Used by build.mjs; the consumer test type-checks the result
// with skipLibCheck off.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Every .d.ts file under `dir`. */
function dtsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name.startsWith('.') ? [] : dtsFiles(join(dir, e.name))) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative named imports of a declaration file: local name → { file, exported name }. */
function importsOf(file, text) {
  const map = new Map();
  for (const m of text.matchAll(/^import (?:type )?\{([^}]*)\} from '(\.[^']+)';$/gm)) {
    const target = resolve(dirname(file), m[2].replace(/\.js$/, '.d.ts'));
    for (const part of m[1].split(',')) {
      const [exported, local] = part.trim().split(/\s+as\s+/);
      if (exported) map.set(local ?? exported, { file: target, exported });
    }
  }
  return map;
}

/** 'type', 'value' or 'both': what the name `exported` of a declaration file declares. */
function kindOf(file, exported, depth = 0) {
  const text = readFileSync(file, 'utf8');
  let local = exported;
  for (const m of text.matchAll(/^export (type )?\{([^}]*)\};$/gm)) {
    for (const part of m[2].split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if ((alias ?? name) !== exported) continue;
      if (m[1]) return 'type'; // `export type { … }`: a type whatever it names
      local = name;
    }
  }
  const esc = local.replace(/\$/g, '\\$');
  const decl = new RegExp(`^(?:export )?(?:declare )?(?:abstract )?(type|interface|class|enum|function|const|let|var|namespace)\\s+${esc}\\b`, 'gm');
  const kinds = new Set([...text.matchAll(decl)].map((m) => m[1]));
  if (kinds.size === 0 && depth < 8) {
    const imported = importsOf(file, text).get(local);
    if (imported) return kindOf(imported.file, imported.exported, depth + 1);
    return 'value';
  }
  if (kinds.has('class') || kinds.has('enum')) return 'both';
  if ([...kinds].every((k) => k === 'type' || k === 'interface')) return 'type';
  return kinds.has('type') || kinds.has('interface') ? 'both' : 'value';
}

/** Fixes every rolled declaration file under `dir`; returns how many members were changed. */
export function fixDtsNamespaces(dir) {
  let changed = 0;
  for (const file of dtsFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const imports = importsOf(file, text);
    const out = text.replace(/^declare const (\w+): typeof (\w+);$/gm, (line, ns, name) => {
      const imported = imports.get(name);
      if (!imported) return line;
      const kind = kindOf(imported.file, imported.exported);
      const typeLine = `type ${ns} = ${name};`;
      if (kind === 'value' || text.includes(typeLine)) return line;
      changed++;
      return kind === 'type' ? typeLine : `${typeLine}\n${line}`;
    });
    if (out !== text) writeFileSync(file, out);
  }
  return changed;
}
