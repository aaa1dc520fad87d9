import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const SCRIPT = join(__dirname, '../../scripts/check-imports.mjs');

/** Runs the checker on a tree of `files` (paths under libs/auth-code/src); its exit code and output. */
function check(files: Record<string, string>): { code: number; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'check-imports-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      const file = join(root, 'libs/auth-code/src', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    try {
      const output = execFileSync(process.execPath, [SCRIPT, '--root', root], { encoding: 'utf8' });
      return { code: 0, output };
    } catch (err) {
      const e = err as { status: number; stdout: string; stderr: string };
      return { code: e.status, output: `${e.stdout}${e.stderr}` };
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('scripts/check-imports.mjs (in npm run lint)', () => {
  it('passes the library as it is', () => {
    const out = execFileSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(out).toMatch(/0 loops/);
  });

  it('passes a tree whose folders point one way', () => {
    expect(
      check({ 'a/x.ts': "import { y } from '../b/y';", 'b/y.ts': 'export const y = 1;' }).code,
    ).toBe(0);
  });

  it('fails on a loop between folders, type-only imports included, naming the files', () => {
    const { code, output } = check({
      'a/x.ts': "import type { Y } from '../b/y';\nexport type X = 1;",
      'b/y.ts': "import type { X } from '../a/x';\nexport type Y = X;",
    });
    expect(code).toBe(1);
    expect(output).toContain('folder loop between a, b');
    expect(output).toContain('a/x.ts → b/y.ts');
  });

  it('fails when production code imports testing/, a fake or a spec kit', () => {
    const { code, output } = check({
      'core/a.ts': "import { FakeX } from '../testing/fake-x';",
      'core/b.ts': "import { FakeY } from '../providers/y/y.fake';",
      'core/c.ts': "import { kit } from './c.spec-kit';",
      'core/c.spec-kit.ts': 'export const kit = 1;',
      'testing/fake-x.ts': 'export class FakeX {}',
      'providers/y/y.fake.ts': 'export class FakeY {}',
    });
    expect(code).toBe(1);
    expect(output).toContain('production code imports test code: core/a.ts');
    expect(output).toContain('production code imports test code: core/b.ts');
    expect(output).toContain('production code imports test code: core/c.ts');
  });

  it("allows a descriptor's lazy import() of its own folder's fake, and nothing else lazily", () => {
    const fake = 'export class FakeY {}';
    expect(
      check({
        'providers/y/y.descriptor.ts': "export const load = () => import('./y.fake');",
        'providers/y/y.fake.ts': fake,
      }).code,
    ).toBe(0);
    expect(
      check({
        'providers/y/y.provider.ts': "export const load = () => import('./y.fake');",
        'providers/y/y.fake.ts': fake,
      }).code,
    ).toBe(1);
  });
});
