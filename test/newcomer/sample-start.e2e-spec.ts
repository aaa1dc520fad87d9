import { freePort } from 'nestjs-auth-code/testing';
import { runSample } from './sample-process';

const SECRETS = {
  AUTH_SESSION_SECRET: 'sample-start-secret-0123456789-abcdefghijkl',
  AUTH_ENCRYPTION_KEYS: Buffer.alloc(32, 5).toString('base64'),
};

describe('the sample app as `npm start` runs it', () => {
  it('tells a newcomer to open the base URL, not the address it listens on', async () => {
    const port = await freePort();
    const run = await runSample({ PORT: String(port), HOST: '127.0.0.1' });
    expect(run.exitCode).toBeNull();
    expect(run.output).toContain(`Open http://localhost:${port} (express, listening on`);
  });

  it('runs on fastify with AUTH_PLATFORM=fastify', async () => {
    const port = await freePort();
    const run = await runSample({
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTH_PLATFORM: 'fastify',
    });
    expect(run.output).toContain(`Open http://localhost:${port} (fastify, listening on`);
  });

  it('refuses an unknown AUTH_PLATFORM with one line', async () => {
    const run = await runSample({ AUTH_PLATFORM: 'koa' });
    expect(run.exitCode).toBe(1);
    expect(run.output.trim()).toBe('AUTH_PLATFORM must be one of express, fastify (got "koa")');
  });

  it('lists every start-up problem in one message: values, keys, production requirements', async () => {
    const run = await runSample({
      NODE_ENV: 'production',
      AUTH_DEMO: 'off',
      AUTH_RATE_LIMIT: 'lots',
      AUTH_ENCRYPTION_KEYS: 'not-a-key',
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain(
      [
        'Invalid configuration:',
        '  - AUTH_RATE_LIMIT must be an integer number',
        '  - AUTH_SESSION_SECRET is required when NODE_ENV=production',
        '  - AUTH_ENCRYPTION_KEYS entry 1 is not a usable key: it is 9 characters long or has invalid characters (expected 32 random bytes as base64, base64url or hex, comma-separated)',
      ].join('\n'),
    );
    // no stack dump, no row of empty fields, said once
    expect(run.output).not.toMatch(/^\s+at /m);
    expect(run.output).not.toContain('undefined');
    expect(run.output.match(/Invalid configuration/g)).toHaveLength(1);
  });

  it('names a missing production encryption key in the same round as the other problems', async () => {
    const run = await runSample({ NODE_ENV: 'production', AUTH_DEMO: 'off' });
    expect(run.output).toContain('AUTH_SESSION_SECRET is required when NODE_ENV=production');
    expect(run.output).toContain(
      'AUTH_ENCRYPTION_KEYS is not set: refusing to start in production without a token encryption key',
    );
    expect(run.output.match(/Invalid configuration/g)).toHaveLength(1);
  });

  it('does not start demo mode under NODE_ENV=production, and says what to do', async () => {
    const run = await runSample({ NODE_ENV: 'production', ...SECRETS });
    expect(run.exitCode).toBe(1);
    expect(run.output).toContain(
      'NODE_ENV=production and no provider credentials are set: demo mode (the bundled fake providers) does not start in production.',
    );
    expect(run.output).toContain('AUTH_DEMO=on');
    expect(run.output).not.toContain('Demo mode:');
  });

  it('runs demo mode in production only when AUTH_DEMO=on', async () => {
    const port = await freePort();
    const run = await runSample({
      NODE_ENV: 'production',
      AUTH_DEMO: 'on',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...SECRETS,
    });
    expect(run.exitCode).toBeNull();
    expect(run.output).toContain('Demo mode:');
  });
});
