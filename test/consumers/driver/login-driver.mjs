// Runs inside a generated consumer app (outside the repository), on the installed package only:
// starts the packaged fakes of the three seed providers, starts the consumer's compiled app
// against them, and logs in end to end with each, as a browser would. Prints one JSON line.
//   node login-driver.mjs <store> [--health]  store: memory | redis://…; --health: GET /health too
//   node login-driver.mjs --missing-ioredis  expects start-up to stop with the install message
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { FakeIsolarcloud, FakeTencentCiam, FakeXt } from 'nestjs-auth-code/testing';

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function startApp(env) {
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitUntilUp(url, app) {
  for (let i = 0; i < 200; i++) {
    if (app.child.exitCode !== null) throw new Error(`the app exited: ${app.output()}`);
    try {
      await fetch(url, { redirect: 'manual' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`the app did not listen: ${app.output()}`);
}

/** One browser profile: a cookie jar, no automatic redirects. */
function browser(base) {
  const jar = new Map();
  return async (method, path, headers = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(path.startsWith('http') ? path : base + path, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || attrs.some((a) => a.trim().toLowerCase() === 'max-age=0'))
        jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
}

function expect(cond, what) {
  if (!cond) throw new Error(what);
}

async function loginWith(base, id, fake, expectedUserId) {
  const go = browser(base);
  const json = { accept: 'application/json' };
  const start = await go('GET', `/auth/${id}/login`);
  expect(start.status === 302, `${id}: /login answered ${start.status}: ${await start.text()}`);
  const back = await fake.consent(start.headers.get('location'));
  const callback = await go('GET', back);
  expect(
    callback.status === 302,
    `${id}: callback answered ${callback.status}: ${await callback.text()}`,
  );
  expect(
    callback.headers.get('location') === '/',
    `${id}: callback went to ${callback.headers.get('location')}`,
  );
  const page = await (await go('GET', '/', { accept: 'text/html' })).text();
  expect(page.includes('Signed in as'), `${id}: the landing page does not show the user: ${page}`);
  const me = await go('GET', '/me', json);
  const user = await me.json();
  expect(
    me.status === 200 && user.provider === id && user.id === expectedUserId,
    `${id}: /me ${me.status} ${JSON.stringify(user)}`,
  );
  const out = await go('POST', '/auth/logout', json);
  expect(out.status === 204, `${id}: logout answered ${out.status}`);
  const after = await go('GET', '/me', json);
  expect(after.status === 401, `${id}: /me after logout answered ${after.status}`);
  return { provider: id, user: user.id, tokenCalls: fake.count('token') };
}

/** `GET /health` (the README's health module): the overall status and each indicator's. */
async function checkHealth(base) {
  const res = await fetch(`${base}/health`);
  const body = await res.json();
  expect(res.status === 200, `/health answered ${res.status}: ${JSON.stringify(body)}`);
  const parts = Object.entries(body.details ?? {}).map(([key, value]) => [key, value.status]);
  return { status: body.status, ...Object.fromEntries(parts) };
}

async function main() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const redirect = (id) => `${base}/auth/${id}/callback`;
  const secrets = {
    AUTH_BASE_URL: base,
    PORT: String(port),
    AUTH_SESSION_SECRET: randomBytes(32).toString('base64url'),
    AUTH_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
  };
  if (process.argv[2] === '--missing-ioredis') {
    const fake = new FakeXt({ redirectUri: redirect('xt') });
    await fake.start();
    const app = startApp({
      ...secrets,
      ...fake.environment(),
      AUTH_STORE: 'redis://127.0.0.1:6379',
    });
    const code = await app.exited;
    await fake.stop();
    return { exitCode: code, output: app.output() };
  }
  const fakes = {
    isolarcloud: new FakeIsolarcloud({ redirectUri: redirect('isolarcloud') }),
    'tencent-ciam': new FakeTencentCiam({ redirectUris: [redirect('tencent-ciam')] }),
    xt: new FakeXt({ redirectUri: redirect('xt') }),
  };
  await Promise.all(Object.values(fakes).map((f) => f.start()));
  const env = { ...secrets, AUTH_STORE: process.argv[2] ?? 'memory' };
  for (const f of Object.values(fakes)) Object.assign(env, f.environment());
  const app = startApp(env);
  try {
    const started = Date.now();
    await waitUntilUp(base, app);
    const startMs = Date.now() - started;
    const health = process.argv.includes('--health') ? await checkHealth(base) : undefined;
    const users = {
      isolarcloud: String(fakes.isolarcloud.userId),
      'tencent-ciam': 'MOCK_USERNAME',
      xt: fakes.xt.userId,
    };
    const logins = [];
    const t = Date.now();
    for (const [id, fake] of Object.entries(fakes))
      logins.push(await loginWith(base, id, fake, users[id]));
    return { startMs, loginMs: Date.now() - t, logins, health };
  } finally {
    app.child.kill('SIGTERM');
    await app.exited;
    await Promise.all(Object.values(fakes).map((f) => f.stop()));
  }
}

main().then(
  (result) => console.log(JSON.stringify({ ok: true, ...result })),
  (err) => {
    console.log(JSON.stringify({ ok: false, error: String(err?.stack ?? err) }));
    process.exitCode = 1;
  },
);
