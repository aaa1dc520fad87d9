import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';

/** The library's sources. */
export const LIBRARY = join(__dirname, '../../libs/auth-code/src');
/** Where the copy goes: inside the repository, so that it resolves the repository's packages. */
const COPIES = join(__dirname, '../../test-artifacts/provider-proof');

/** A file the copy differs in from the library: added, or changed by some lines. */
export interface FileChange {
  /** Path relative to the library's `src`. */
  file: string;
  /** Lines only in the copy. */
  added: string[];
  /** Lines only in the library. */
  removed: string[];
}

/**
 * Copies the library's sources, adds a provider's folder under `providers/<id>` and registers its
 * descriptor in `providers/provider-list.ts` the way the list documents (an import and an entry).
 * Returns the copy's `src`.
 */
export function copyWithProvider(folder: string, id: string, descriptor: string): string {
  const dir = join(COPIES, `${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const src = join(dir, 'src');
  cpSync(LIBRARY, src, { recursive: true, filter: (f) => !/\.spec\.ts$/.test(f) });
  cpSync(folder, join(src, 'providers', id), { recursive: true });
  const list = join(src, 'providers', 'provider-list.ts');
  const text = readFileSync(list, 'utf8')
    .replace(
      "import { XT } from './xt/xt.descriptor';",
      `import { XT } from './xt/xt.descriptor';\nimport { ${descriptor} } from './${id}/${id}.descriptor';`,
    )
    .replace(/(\n {2}OIDC,[^\n]*\n)/, `$1  ${descriptor}, // ${id}\n`);
  writeFileSync(list, text);
  return src;
}

/** Removes the copies. */
export function removeCopies(): void {
  rmSync(COPIES, { recursive: true, force: true });
}

/** Every difference between the library and a copy, file by file (spec files are not copied). */
export function changesOf(copy: string): FileChange[] {
  const files = (root: string) =>
    listFiles(root)
      .map((f) => relative(root, f))
      .filter((f) => !/\.spec\.ts$/.test(f));
  const ours = new Set(files(LIBRARY));
  const theirs = files(copy);
  const changes: FileChange[] = [];
  for (const file of new Set([...ours, ...theirs])) {
    const a = ours.has(file) ? lines(join(LIBRARY, file)) : [];
    const b = theirs.includes(file) ? lines(join(copy, file)) : [];
    const added = b.filter((l) => !a.includes(l));
    const removed = a.filter((l) => !b.includes(l));
    if (added.length > 0 || removed.length > 0 || a.length !== b.length)
      changes.push({ file, added, removed });
  }
  return changes.sort((x, y) => x.file.localeCompare(y.file));
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
