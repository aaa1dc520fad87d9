import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const SRC = resolve(__dirname, '..');

interface ImportEdge {
  /** The module specifier as written. */
  specifier: string;
  /** The resolved source file, for relative specifiers. */
  file?: string;
  /** `import type` / `export type`: erased from the JavaScript. */
  typeOnly: boolean;
}

function importsOf(file: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const edges: ImportEdge[] = [];
  for (const node of source.statements) {
    if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) continue;
    if (!node.moduleSpecifier || !ts.isStringLiteral(node.moduleSpecifier)) continue;
    const specifier = node.moduleSpecifier.text;
    const typeOnly = ts.isImportDeclaration(node)
      ? node.importClause?.isTypeOnly === true
      : node.isTypeOnly;
    const target = specifier.startsWith('.') ? resolve(dirname(file), specifier) : undefined;
    const resolved = [`${target}.ts`, join(target ?? '', 'index.ts')].find(
      (f) => target && existsSync(f),
    );
    edges.push({ specifier, file: resolved, typeOnly });
  }
  return edges;
}

/** Every file `entry` reaches through imports and re-exports, type-only ones included. */
function closure(entry: string): Map<string, ImportEdge[]> {
  const seen = new Map<string, ImportEdge[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const edges = importsOf(file);
    seen.set(file, edges);
    for (const e of edges) if (e.file) queue.push(e.file);
  }
  return seen;
}

/**
 * `nestjs-auth-code/testing` is published as the Nest-free entry, and the fakes are independent
 * witnesses of the providers' wire formats: they must not take paths or names from the provider
 * definitions they are meant to check.
 */
describe('the testing entry', () => {
  const graph = closure(join(SRC, 'testing', 'index.ts'));

  it('reaches no @nestjs package and nothing of the Nest face, not even a type', () => {
    const offenders = [...graph].flatMap(([file, edges]) =>
      edges
        .filter((e) => e.specifier.startsWith('@nestjs/') || e.file?.startsWith(join(SRC, 'nest')))
        .map((e) => `${relative(SRC, file)} -> ${e.specifier}`),
    );
    expect(graph.size).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  it('has fakes that take no value from a provider definition (only types)', () => {
    const definitionModule = /\.(provider|constants|api|definition)$/;
    const fakes = [...graph].filter(([file]) => /\.fake[^/]*\.ts$|[/]testing[/]/.test(file));
    const offenders = fakes.flatMap(([file, edges]) =>
      edges
        .filter((e) => !e.typeOnly && e.file && definitionModule.test(e.file.replace(/\.ts$/, '')))
        .filter((e) => !e.file!.startsWith(join(SRC, 'testing')))
        .map((e) => `${relative(SRC, file)} -> ${e.specifier}`),
    );
    expect(fakes.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
