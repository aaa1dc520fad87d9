import { randomBytes, randomUUID } from 'node:crypto';
import {
  AuthCodeEngine,
  CookieSigner,
  KeyRing,
  LoginTransactionService,
  MemoryTokenLock,
  MemoryTokenStore,
  oauth2,
  ProviderRegistry,
  TokenService,
} from 'nestjs-auth-code';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';

const COUNT = 20_000;

const provider = oauth2({
  id: 'bench',
  clientId: 'c',
  clientSecret: 's',
  redirectUri: 'http://localhost:3000/auth/bench/callback',
  authorizeUrl: 'http://127.0.0.1:9/authorize',
  tokenUrl: 'http://127.0.0.1:9/token',
  pkce: true,
});

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc (npm run bench does)');
  for (let i = 0; i < 3; i++) collect();
}

function heap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** A Node response's header methods: all LoginTransactionService writes to. */
const response = () => {
  const headers: Record<string, unknown> = {};
  return {
    getHeader: (n: string) => headers[n],
    setHeader: (n: string, v: unknown) => void (headers[n] = v),
  };
};

/**
 * Heap bytes the memory store keeps per logged-in session (its record and one encrypted grant with
 * realistic token sizes) and per pending login attempt (its encrypted transaction), measured as
 * heap growth over 20 000 of each after full garbage collections.
 */
export const memoryPerSession: BenchScenario = {
  name: 'memory-per-session',
  description: 'heap bytes per stored session + grant and per pending login attempt (memory store)',
  async run() {
    const cipher = KeyRing.ephemeral();
    const store = new MemoryTokenStore(cipher, {
      sweepIntervalMs: 0,
      maxSessions: COUNT * 3,
      maxGrants: COUNT * 3,
      maxTransactions: COUNT * 2,
    });
    const registry = new ProviderRegistry([provider]);
    const tokens = new TokenService({
      store,
      lock: new MemoryTokenLock(),
      engine: new AuthCodeEngine(),
      registry,
    });
    const perSession: Array<[string, number]> = [];
    for (const [label, accessToken] of [
      ['a 36-character opaque access token (iSolarCloud)', () => randomUUID()],
      [
        'an 800-character JWT access token (Tencent CIAM)',
        () => randomBytes(600).toString('base64url'),
      ],
    ] as const) {
      const before = heap();
      for (let i = 0; i < COUNT; i++) {
        await tokens.saveLogin(undefined, {
          provider: 'bench',
          profile: { provider: 'bench', id: `user-${i}`, displayName: `User number ${i}` },
          tokenSet: {
            accessToken: accessToken(),
            refreshToken: randomBytes(32).toString('base64url'),
            tokenType: 'Bearer',
            expiresAt: Date.now() + 3600_000,
          },
        });
      }
      perSession.push([label, (heap() - before) / COUNT]);
    }
    const sessions = heap();
    const transactions = new LoginTransactionService(store, new CookieSigner('x'.repeat(40)), {
      ttlSeconds: 600,
      secure: false,
      baseUrl: 'http://localhost:3000',
      attempts: { perClient: COUNT * 2, total: COUNT * 2 },
    });
    const def = await registry.get('bench');
    for (let i = 0; i < COUNT; i++) {
      await transactions.begin(
        { cookieHeader: undefined, client: `10.0.${i >> 8}.${i & 255}`, res: response() },
        def,
        '/somewhere',
      );
    }
    const attempts = heap();
    const perAttempt = (attempts - sessions) / COUNT;
    const verdict = (bytes: number) => (bytes <= 2048 ? 'met' : 'NOT met');
    return [
      '## Memory per session',
      '',
      machineLine(),
      '',
      `Method: heap growth (\`heapUsed\` after three full GCs) over ${COUNT.toLocaleString('en')} logins through`,
      '`TokenService.saveLogin` (a session record and one AES-256-GCM grant with a 43-character',
      'refresh token and the access token below) per token size, then as many login attempts through',
      '`LoginTransactionService.begin` (state, PKCE verifier, binding; each encrypted), memory store.',
      '',
      '| what | bytes each | goal ≤ 2 KB |',
      '|---|---|---|',
      ...perSession.map(
        ([label, bytes]) =>
          `| session + grant, ${label} | ${bytes.toFixed(0)} | ${verdict(bytes)} |`,
      ),
      `| pending login attempt | ${perAttempt.toFixed(0)} | ${verdict(perAttempt)} |`,
    ].join('\n');
  },
};
