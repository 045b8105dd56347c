#!/usr/bin/env node
// `npm run licenses`: checks the licence of every production dependency (direct and transitive,
// optional platform packages included; dev dependencies excluded), as package-lock.json and the
// installed package.json files declare it. No network. Exits 1 naming each package that is
// copyleft beyond the file level or has no licence we can read. Policy (docs/install.md):
//   allowed   MIT, ISC, BSD-2/3-Clause, 0BSD, Apache-2.0, Unlicense, CC0-1.0, BlueOak-1.0.0, Zlib,
//             Python-2.0, and MPL-2.0 (file-level copyleft: it binds only changes to the MPL
//             files themselves, so MIT users of deepclust take on nothing);
//   refused   GPL, AGPL, LGPL, SSPL, EUPL, CDDL, any other or missing licence, and "SEE LICENSE IN"
//             texts, unless listed in REVIEWED below with the reason after reading the text.
// An SPDX expression passes when one side of each OR passes and both sides of each AND do.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ALLOWED = new Set(['MIT', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'Apache-2.0', 'Unlicense', 'CC0-1.0', 'BlueOak-1.0.0', 'Zlib', 'Python-2.0', 'MPL-2.0']);

/** Packages whose licence field is not an SPDX id, read by hand: name → [licence field, why it is fine]. */
const REVIEWED = {
  h5wasm: ['SEE LICENSE IN LICENSE.txt', "NIST's public-domain notice and the HDF5 (BSD-style) licence: permissive"],
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

/** The licence a package declares: the lock's field, else its installed package.json's. */
function licenseOf(path, meta) {
  if (typeof meta.license === 'string') return meta.license;
  const pj = join(root, path, 'package.json');
  if (!existsSync(pj)) return undefined;
  const pkg = JSON.parse(readFileSync(pj, 'utf8'));
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license?.type) return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type ?? l).join(' OR ');
  return undefined;
}

/** Whether an SPDX expression is acceptable (OR: either side; AND: both; `+` and WITH kept strict). */
function acceptable(expr) {
  const e = expr.trim().replace(/^\((.*)\)$/, '$1').trim();
  const split = (op) => {
    let depth = 0;
    const parts = [];
    let last = 0;
    for (let i = 0; i < e.length; i++) {
      if (e[i] === '(') depth++;
      else if (e[i] === ')') depth--;
      else if (depth === 0 && e.startsWith(` ${op} `, i)) {
        parts.push(e.slice(last, i));
        last = i + op.length + 2;
      }
    }
    parts.push(e.slice(last));
    return parts;
  };
  const or = split('OR');
  if (or.length > 1) return or.some(acceptable);
  const and = split('AND');
  if (and.length > 1) return and.every(acceptable);
  return ALLOWED.has(e);
}

const failures = [];
let checked = 0;
for (const [path, meta] of Object.entries(lock.packages)) {
  if (path === '' || meta.dev || meta.link) continue; // the project itself, dev-only, workspace links
  const name = meta.name ?? path.replace(/^.*node_modules\//, '');
  const license = licenseOf(path, meta);
  checked++;
  const reviewed = REVIEWED[name];
  if (reviewed && reviewed[0] === license) continue;
  if (license === undefined) failures.push(`${name}@${meta.version}: no licence declared`);
  else if (!acceptable(license)) failures.push(`${name}@${meta.version}: ${license}`);
}

if (failures.length > 0) {
  process.stderr.write(`licences: ${failures.length} production dependenc${failures.length === 1 ? 'y is' : 'ies are'} not under an allowed licence (see docs/install.md, "Licences"):\n${failures.map((f) => `  ${f}\n`).join('')}`);
  process.exit(1);
}
process.stdout.write(`licences: all ${checked} production dependencies are under allowed licences (${[...ALLOWED].join(', ')}; reviewed: ${Object.keys(REVIEWED).join(', ')})\n`);
