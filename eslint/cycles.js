/**
 * No import cycles: builds the graph of relative imports (static, type-only, re-exports and
 * literal dynamic imports) over the repository's source files with TypeScript's pre-processor,
 * and prints every import that lies on a cycle as `file:line: import cycle: a → b → … → a`.
 * Exit status 1 when there is one. Part of `npm run lint`.
 *
 * A script over the whole graph rather than import-x/no-cycle: that rule re-parses every
 * dependency and took 24 s of a 65 s lint on this (busy) machine; this takes well under a second.
 * Type-only imports count: they couple modules the same way, even though they vanish at run time.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SOURCE = /\.(ts|mts|js|mjs)$/;
const SKIP = new Set(['node_modules', '.git', 'docs', 'runs', 'dist', 'out', 'results']);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The import graph of `files`: file → [{ to, line }] for relative imports of files in the set. */
export function importGraph(files) {
  const set = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const info = ts.preProcessFile(text, true, true);
    const edges = [];
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const to = resolve(dirname(file), ref.fileName);
      if (set.has(to)) edges.push({ to, line: text.slice(0, ref.pos).split('\n').length });
    }
    graph.set(file, edges);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan, iterative). */
export function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, next); low.set(start, next++); stack.push(start); onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const [v, i] = top;
      const edges = graph.get(v);
      if (i < edges.length) {
        top[1]++;
        const w = edges[i].to;
        if (!index.has(w)) {
          index.set(w, next); low.set(w, next++); stack.push(w); onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
        continue;
      }
      work.pop();
      if (work.length) { const u = work[work.length - 1][0]; low.set(u, Math.min(low.get(u), low.get(v))); }
      if (low.get(v) === index.get(v)) {
        const scc = [];
        let w;
        do { w = stack.pop(); onStack.delete(w); scc.push(w); } while (w !== v);
        if (scc.length > 1) out.push(new Set(scc));
      }
    }
  }
  return out;
}

// A shortest path from `from` back to `to` inside one component (breadth-first).
function pathBack(graph, scc, from, to) {
  const prev = new Map([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const v = queue.shift();
    if (v === to) break;
    for (const { to: w } of graph.get(v)) if (scc.has(w) && !prev.has(w)) { prev.set(w, v); queue.push(w); }
  }
  const path = [];
  for (let v = to; v !== null && v !== undefined; v = prev.get(v)) path.unshift(v);
  return path;
}

/** One line per import that lies on a cycle, paths relative to `root`. */
export function cycleReport(root, graph = importGraph(walk(root, []))) {
  const rel = (p) => relative(root, p);
  const lines = [];
  for (const scc of cycles(graph)) {
    for (const file of [...scc].sort()) {
      for (const { to, line } of graph.get(file)) {
        if (!scc.has(to)) continue;
        const loop = [file, ...pathBack(graph, scc, to, file)].map(rel).join(' → ');
        lines.push(`${rel(file)}:${line}: import cycle: ${loop}`);
      }
    }
  }
  return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
  const lines = cycleReport(root);
  for (const l of lines) console.error(l);
  if (lines.length) {
    console.error(`${lines.length} import(s) on a cycle: move the shared code into a module both sides can import`);
    process.exit(1);
  }
}
