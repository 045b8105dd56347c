/**
 * `npm run docs:config`: writes docs/config.md, the table of every method option, from the
 * method schema (src/methods/schema-method.ts). With `--check`: exit 1 when it is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configDoc } from '../src/methods/schema-doc.ts';

const file = new URL('../docs/config.md', import.meta.url);
const text = configDoc();
if (process.argv.includes('--check')) {
  const now = readFileSync(file, 'utf8');
  if (now !== text) {
    process.stderr.write('docs/config.md is out of date: run npm run docs:config\n');
    process.exit(1);
  }
} else writeFileSync(file, text);
