#!/usr/bin/env node
// Builds the publishable folder of the library, dist/nestjs-auth-code: compiled CommonJS, .d.ts and
// source maps (sources inlined), its package.json, the README and the LICENSE. With --pack it also
// runs `npm pack` there and prints the tarball's path (dist/nestjs-auth-code-<version>.tgz).
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'nestjs-auth-code');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'libs/auth-code/tsconfig.lib.json')], {
  stdio: 'inherit',
});
copyFileSync(join(root, 'libs/auth-code/package.json'), join(out, 'package.json'));
copyFileSync(join(root, 'README.md'), join(out, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(out, 'LICENSE'));

// Test code never ships: fail the build rather than publish a spec or a spec kit.
const shipped = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.spec(-kit)?\.|\.e2e-spec\.|\.ts$/.test(name) && !name.endsWith('.d.ts'))
      shipped.push(relative(out, path));
  }
};
walk(out);
if (shipped.length > 0) {
  console.error(`build-package: test code or sources in the package:\n  ${shipped.join('\n  ')}`);
  process.exit(1);
}

if (process.argv.includes('--pack')) {
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', '..'], {
    cwd: out,
    encoding: 'utf8',
  });
  const [{ filename }] = JSON.parse(json);
  console.log(join(root, 'dist', filename));
}
