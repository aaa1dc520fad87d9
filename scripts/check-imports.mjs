#!/usr/bin/env node
// The house's import rules, checked in `npm run lint`:
//  1. no loops between folders of the library (folder = a file's directory; an import from one
//     folder to another is an edge; any cycle of edges fails), counting type-only imports too;
//  2. production code never imports test code: no spec kit, no spec, no `testing/` folder, no
//     fake (`*.fake*.ts`), and nothing under test/ — only testing/ and fakes may import fakes;
//  3. the sample app imports the library only by its public entry points (`nestjs-auth-code`,
//     `nestjs-auth-code/testing`), never a path into libs/.
// Prints every violation; exits 1 when there is one.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// --root <dir> checks another tree laid out the same way (the checker's own spec does).
const rootArg = process.argv.indexOf('--root');
const root =
  rootArg === -1
    ? join(dirname(fileURLToPath(import.meta.url)), '..')
    : resolve(process.argv[rootArg + 1]);
const lib = join(root, 'libs/auth-code/src');
const app = join(root, 'apps/sample/src');

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
const isSpec = (f) => /\.(spec|e2e-spec|spec-kit)\.ts$/.test(f);
const isTestSide = (f) =>
  isSpec(f) || /\.fake[^/]*\.ts$/.test(f) || relative(lib, f).startsWith('testing/');

// import/export … from '…', import('…'), require('…'): the module specifiers of a file; `lazy`
// for an `import()` expression (loaded only when called).
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
function specifiers(file) {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(SPECIFIER)].map((m) => ({
    spec: m[2],
    lazy: m[1].startsWith('import(') || /^import\s*\(/.test(m[1]),
  }));
}
// A provider's descriptor may load its own folder's fake and strategy lazily (demo mode, tests and
// the Nest face call those loaders; a production code path never does).
const allowedLazy = (file, to) => file.endsWith('.descriptor.ts') && dirname(file) === dirname(to);
function target(file, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(file), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const problems = [];
const edges = new Map(); // folder → Map(folder → example "a.ts → b.ts")
for (const file of walk(lib)) {
  if (isSpec(file)) continue;
  for (const { spec, lazy } of specifiers(file)) {
    const to = target(file, spec);
    if (!to || (lazy && allowedLazy(file, to))) continue;
    const from = relative(lib, file);
    const toRel = relative(root, to);
    if (!isTestSide(file) && (isTestSide(to) || !to.startsWith(lib)))
      problems.push(`production code imports test code: ${from} → ${toRel}`);
    const a = relative(lib, dirname(file)) || '.';
    const b = relative(lib, dirname(to)) || '.';
    if (a === b || !to.startsWith(lib)) continue;
    if (!edges.has(a)) edges.set(a, new Map());
    if (!edges.get(a).has(b)) edges.get(a).set(b, `${from} → ${relative(lib, to)}`);
  }
}
for (const file of existsSync(app) ? walk(app) : []) {
  if (isSpec(file)) continue;
  for (const { spec } of specifiers(file)) {
    const to = target(file, spec);
    if (spec.includes('libs/') || (to && !to.startsWith(app)))
      problems.push(`the sample reaches into the library: ${relative(root, file)} → ${spec}`);
  }
}

// Tarjan's strongly connected components: every component of more than one folder is a loop.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const on = new Set();
const loops = [];
const visit = (v) => {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  on.add(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!idx.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) loops.push(scc);
  }
};
for (const v of edges.keys()) if (!idx.has(v)) visit(v);
for (const scc of loops) {
  const inside = new Set(scc);
  const why = scc.flatMap((a) =>
    [...(edges.get(a) ?? [])].filter(([b]) => inside.has(b)).map(([, example]) => `    ${example}`),
  );
  problems.push(`folder loop between ${scc.sort().join(', ')}:\n${why.join('\n')}`);
}

const folders = new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]);
if (problems.length > 0) {
  console.error(`check-imports: ${problems.length} problem(s)\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(
  `check-imports: ${folders.size} folders, ${[...edges.values()].reduce((n, m) => n + m.size, 0)} folder edges, 0 loops`,
);
