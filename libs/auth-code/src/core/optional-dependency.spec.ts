import * as path from 'node:path';
import { ConfigurationError } from '../errors/auth-code.errors';
import { loadIfInstalled, loadOptional } from './optional-dependency';

describe('loadOptional', () => {
  it('returns what the loader loads when the package is installed', () => {
    const loaded = loadOptional('node:path', 'a test', () => path);
    expect(typeof loaded.join).toBe('function');
  });

  it('turns a missing package into one ConfigurationError that says what to install and why', () => {
    const pkg = 'nestjs-auth-code-no-such-package';
    let caught: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a real failed require
      loadOptional(pkg, 'AUTH_STORE=redis://…', () => require(pkg));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).code).toBe('invalid_config');
    expect((caught as Error).message).toBe(
      `AUTH_STORE=redis://… needs the package "${pkg}", which is not installed: run \`npm install ${pkg}\``,
    );
  });

  it('lets any other failure of the package through unchanged', () => {
    const broken = new Error('ioredis failed to initialise');
    expect(() =>
      loadOptional('ioredis', 'a Redis store', () => {
        throw broken;
      }),
    ).toThrow(broken);
  });

  it("does not blame the package when one of the package's own dependencies is missing", () => {
    const nested = Object.assign(new Error("Cannot find module 'denque'"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(() =>
      loadOptional('ioredis', 'a Redis store', () => {
        throw nested;
      }),
    ).toThrow(nested);
  });
});

describe('loadIfInstalled', () => {
  it('returns what the loader loads when the package is installed', () => {
    expect(loadIfInstalled('node:path', () => path)?.join('a', 'b')).toBe(path.join('a', 'b'));
  });

  it('answers undefined, not an error, when the package itself is missing', () => {
    const pkg = 'nestjs-auth-code-no-such-package';
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a real failed require
    expect(loadIfInstalled(pkg, () => require(pkg))).toBeUndefined();
  });

  it("throws when one of the package's own dependencies is missing", () => {
    const nested = Object.assign(new Error("Cannot find module 'semver'"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(() =>
      loadIfInstalled('@opentelemetry/api', () => {
        throw nested;
      }),
    ).toThrow(nested);
  });
});
