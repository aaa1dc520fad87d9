import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConsumer, packedTarball, runDriver, type ConsumerProject } from './consumer-project';
import { VARIANTS } from './variants';

const REPORT = join(__dirname, '../../test-artifacts/consumers.json');

/**
 * The package as users get it: `npm pack` output installed into generated Nest apps in temporary
 * folders outside the repository, built from the README's quick start, logging in end to end with
 * the three seed providers through the packaged fakes.
 */
describe.each(VARIANTS)('consumer $name', (variant) => {
  let project: ConsumerProject | undefined;

  beforeAll(async () => {
    project = await createConsumer(variant, packedTarball());
  }, 240_000);
  afterAll(() => {
    if (project && process.env.KEEP_CONSUMERS !== '1')
      rmSync(project.dir, { recursive: true, force: true });
  });

  it('installs the tarball without --legacy-peer-deps and compiles the README quick start', () => {
    expect(project).toBeDefined();
    const installed = JSON.parse(
      readFileSync(join(project!.dir, 'node_modules/@nestjs/core/package.json'), 'utf8'),
    ) as { version: string };
    expect(installed.version.split('.')[0]).toBe(String(variant.nest));
    expect(existsSync(join(project!.dir, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(project!.dir, 'node_modules/ioredis'))).toBe(variant.store === 'redis');
    const terminus = join(project!.dir, 'node_modules/@nestjs/terminus/package.json');
    expect(existsSync(terminus)).toBe(variant.health === true);
    if (variant.health) {
      const { version } = JSON.parse(readFileSync(terminus, 'utf8')) as { version: string };
      expect(version.split('.')[0]).toBe(String(variant.nest));
    }
  });

  it('logs in with iSolarCloud, Tencent Cloud CIAM and XT.COM, shows /me, logs out', async () => {
    const store = variant.store === 'redis' ? 'redis://127.0.0.1:6379' : 'memory';
    const report = await runDriver(project!, store, ...(variant.health ? ['--health'] : []));
    // the driver's error (a stack) is part of the expectation, so a failure shows it
    expect({ ok: report.ok, error: report.error }).toEqual({ ok: true, error: undefined });
    expect((report.logins as Array<{ provider: string }>).map((l) => l.provider)).toEqual([
      'isolarcloud',
      'tencent-ciam',
      'xt',
    ]);
    if (variant.health) {
      expect(report.health).toEqual({
        status: 'ok',
        'auth-code-store': 'up',
        'auth-code-provider-tencent-ciam': 'up',
      });
    }
    record(variant.name, { ...project!.timings, ...(report as object) });
  }, 60_000);

  if (variant.checksMissingIoredis) {
    it('stops start-up with one message saying to install ioredis for a Redis URL', async () => {
      const report = await runDriver(project!, '--missing-ioredis');
      expect(report.exitCode).not.toBe(0);
      expect(report.output).toContain(
        'Invalid configuration:\n  - AUTH_STORE=redis://… needs the package "ioredis", which is not installed: run `npm install ioredis`',
      );
      expect(report.output).not.toMatch(/^\s+at /m);
    }, 60_000);
  }
});

/** Keeps each variant's figures (install, build, login times) for the notes and docs. */
function record(name: string, figures: object): void {
  mkdirSync(join(REPORT, '..'), { recursive: true });
  const all = existsSync(REPORT) ? (JSON.parse(readFileSync(REPORT, 'utf8')) as object) : {};
  writeFileSync(REPORT, JSON.stringify({ ...all, [name]: figures }, null, 2));
}
