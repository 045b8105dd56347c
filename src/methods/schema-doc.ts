/**
 * The method options as rows (path, type, default, doc), from the schema itself: the table of
 * docs/config.md (`npm run docs:config` writes it; a test fails when the committed one is stale)
 * and `deepclust describe --options`.
 */
import type { FieldInfo } from './schema.ts';
import { METHOD_SCHEMA } from './schema-method.ts';

/** One option of the method config. */
export interface OptionRow {
  /** Dotted path below the method (`train.optimizer.lr`; list items as `regularizers[].weight`). */
  readonly path: string;
  /** Kind and range in words. */
  readonly type: string;
  /** `required`, the documented default, or `none`. */
  readonly default: string;
  /** One line, prefixed by the variants it belongs to (`(conv only)`). */
  readonly doc: string;
}

/** Every option below `root`, depth first, in declaration order. */
export function optionRows(root: FieldInfo = METHOD_SCHEMA): OptionRow[] {
  const rows: OptionRow[] = [];
  const walk = (f: FieldInfo, path: string) => {
    const children = f.children ?? f.item?.children;
    const variantsOf = f.children ? f.variantsOf : f.item?.variantsOf;
    const at = f.children ? path : `${path}[]`;
    for (const [key, child] of Object.entries(children ?? {})) {
      const only = variantsOf?.[key];
      const p = at ? `${at}.${key}` : key;
      rows.push({ path: p, type: child.type, default: child.optional ? (child.default ?? 'none') : 'required', doc: `${only ? `(${only.join(', ')} only) ` : ''}${child.doc}` });
      walk(child, p);
    }
  };
  walk(root, '');
  return rows;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** The markdown of docs/config.md: one table per top-level section. */
export function configDoc(): string {
  const rows = optionRows();
  const top = Object.entries(METHOD_SCHEMA.children ?? {});
  const table = (list: OptionRow[]) => ['| Option | Type | Default | What it does |', '| --- | --- | --- | --- |', ...list.map((r) => `| \`${r.path}\` | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.doc)} |`)].join('\n');
  const sections = top.filter(([, f]) => f.children || f.item?.children);
  const scalars = rows.filter((r) => !r.path.includes('.') && !sections.some(([k]) => k === r.path));
  const out = [
    '# Method config options',
    '',
    '<!-- generated from src/methods/schema-method.ts by `npm run docs:config`; do not edit by hand (a test compares them) -->',
    '',
    'Every option of a method config (a preset, a `--method-config` file, or `overrides` of',
    '`DeepClustering`), from the schema `validateMethod` checks: an unknown key is refused naming the',
    'closest one, a value out of its range with a one-line error naming its path. `deepclust describe',
    '--options` prints the same list. The clustering-loss, cluster-update and final-clustering kinds',
    'are blocks with options of their own: see the blocks table in [extending.md](extending.md).',
    'A default is what the code uses when the key is absent; a resolved config keeps only the keys given.',
    '',
    'To add an option: declare it in the type (src/methods/config.ts or config-network.ts) and in the',
    "section's schema (src/methods/schema-method.ts); `npm run typecheck` refuses one without the",
    'other. Then `npm run docs:config` rewrites this page.',
    '',
    '## Top level',
    '',
    table(scalars),
  ];
  for (const [key, f] of sections) out.push('', `## ${key}`, '', f.doc, '', table(rows.filter((r) => r.path === key || r.path.startsWith(`${key}.`) || r.path.startsWith(`${key}[]`))));
  return `${out.join('\n')}\n`;
}

/** The options as aligned text lines for `deepclust describe --options`. */
export function optionsText(): string {
  const rows = optionRows();
  const w = Math.max(...rows.map((r) => r.path.length));
  const t = Math.max(...rows.map((r) => Math.min(r.type.length, 40)));
  return `${rows.map((r) => `${r.path.padEnd(w)}  ${r.type.padEnd(t)}  ${r.default === 'required' ? '' : `[default: ${r.default}] `}${r.doc}`).join('\n')}\n`;
}
