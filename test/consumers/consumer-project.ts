import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readmeBlocks } from './readme-blocks';
import { frameworkPackages, type ConsumerVariant } from './variants';

const run = promisify(execFile);

/** The packed library, as `npm run build` leaves it. */
export function packedTarball(): string {
  const dist = join(__dirname, '../../dist');
  const tgz = existsSync(dist)
    ? readdirSync(dist).filter((f) => /^nestjs-auth-code-.*\.tgz$/.test(f))
    : [];
  if (tgz.length !== 1)
    throw new Error(
      `expected one dist/nestjs-auth-code-*.tgz, found ${tgz.length}: run \`npm run build\``,
    );
  return join(dist, tgz[0]);
}

/** A consumer app set up in a temporary folder outside the repository. */
export interface ConsumerProject {
  /** Its folder. */
  dir: string;
  /** Milliseconds of each step. */
  timings: { framework: number; install: number; build: number };
}

/**
 * The README's source files for a variant: the four quick-start files and its platform's main;
 * with `health`, the README's health module too, imported beside `AppModule` by a root module of
 * the harness (the README says to add it to your app's imports).
 */
export function consumerSources(v: ConsumerVariant): Record<string, string> {
  const blocks = readmeBlocks();
  const pick = (name: string) => {
    const code = blocks.get(name);
    if (code === undefined) throw new Error(`README has no block marked "consumer: ${name}"`);
    return code;
  };
  const sources: Record<string, string> = {
    'src/app.module.ts': pick('src/app.module.ts'),
    'src/auth.controller.ts': pick('src/auth.controller.ts'),
    'src/home.controller.ts': pick('src/home.controller.ts'),
    'src/main.ts': pick(`src/main.ts (${v.platform})`),
  };
  if (!v.health) return sources;
  const appImport = "import { AppModule } from './app.module.js';";
  if (!sources['src/main.ts'].includes(appImport))
    throw new Error(`README main.ts does not have the line ${appImport}`);
  sources['src/health.module.ts'] = pick('src/health.module.ts');
  sources['src/root.module.ts'] = [
    "import { Module } from '@nestjs/common';",
    appImport,
    "import { HealthModule } from './health.module.js';",
    '',
    '@Module({ imports: [AppModule, HealthModule] })',
    'export class RootModule {}',
    '',
  ].join('\n');
  sources['src/main.ts'] = sources['src/main.ts']
    .replace(appImport, "import { RootModule } from './root.module.js';")
    .replace(/\bAppModule\b/g, 'RootModule');
  return sources;
}

/** The README's install line, which must be exactly `npm install nestjs-auth-code`. */
export function readmeInstallArgs(): string[] {
  const line = readmeBlocks().get('install')?.trim();
  if (line !== 'npm install nestjs-auth-code')
    throw new Error(
      `README install line is ${JSON.stringify(line)}, not "npm install nestjs-auth-code"`,
    );
  return line.split(' ').slice(1);
}

/** A Nest app's compiler settings, as `nest new` writes them (nodenext; ESM with "type": "module"). */
function tsconfig(): string {
  return JSON.stringify(
    {
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'ES2023',
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        isolatedModules: true,
        esModuleInterop: true,
        strict: true,
        skipLibCheck: true,
        outDir: 'dist',
        rootDir: 'src',
      },
      include: ['src'],
    },
    null,
    2,
  );
}

/**
 * Creates the variant's app: its framework first (as an existing Nest app has it), then the README's
 * install line with the packed tarball in place of the registry name, then its README sources
 * compiled with tsc. npm's cache makes repeated runs fast; nothing is installed with
 * `--legacy-peer-deps`.
 */
export async function createConsumer(
  v: ConsumerVariant,
  tarball: string,
): Promise<ConsumerProject> {
  const dir = mkdtempSync(join(tmpdir(), `nestjs-auth-code-${v.name}-`));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: v.name,
        private: true,
        version: '0.0.0',
        ...(v.format === 'esm' ? { type: 'module' } : {}),
      },
      null,
      2,
    ),
  );
  writeFileSync(join(dir, 'tsconfig.json'), tsconfig());
  mkdirSync(join(dir, 'src'));
  for (const [file, code] of Object.entries(consumerSources(v)))
    writeFileSync(join(dir, file), code);
  copyFileSync(join(__dirname, 'driver/login-driver.mjs'), join(dir, 'login-driver.mjs'));

  const npm = (args: string[]) =>
    run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: dir,
      maxBuffer: 1 << 24,
    });
  const timed = async (step: () => Promise<unknown>) => {
    const t = Date.now();
    await step();
    return Date.now() - t;
  };
  const framework = await timed(() => npm(['install', ...frameworkPackages(v)]));
  const [verb] = readmeInstallArgs();
  const install = await timed(() => npm([verb, tarball]));
  const build = await timed(() =>
    run(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir }),
  );
  return { dir, timings: { framework, install, build } };
}

/** Runs the login driver in the consumer; resolves with its JSON report. */
export async function runDriver(
  project: ConsumerProject,
  ...args: string[]
): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['login-driver.mjs', ...args], {
    cwd: project.dir,
    maxBuffer: 1 << 24,
  }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? String(err) }));
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Record<string, unknown>;
  } catch {
    return { ok: false, error: `the driver printed no report: ${stdout}` };
  }
}
