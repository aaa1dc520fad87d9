import type { ArgumentsHost } from '@nestjs/common';
import {
  AuthCodeError,
  LoginRequiredError,
  ProviderRejectedError,
} from '../../errors/auth-code.errors';
import { SessionRequiredError } from '../session/session-required.error';
import { AuthCodeExceptionFilter } from './auth-code-exception.filter';
import { scrubSecrets } from './scrub-secrets';

/** What the filter wrote, recorded by a hand-written response of either platform. */
interface Answer {
  status?: number;
  headers: Record<string, string>;
  json?: Record<string, unknown>;
  html?: string;
  redirect?: [number, string];
}

/** Reads the written status, headers and body into an {@link Answer}. */
function record(answer: Answer, status: number, body: string | undefined): void {
  answer.status = status;
  const type = answer.headers['content-type'] ?? '';
  if (answer.headers.location !== undefined) answer.redirect = [status, answer.headers.location];
  else if (type.startsWith('application/json')) answer.json = JSON.parse(body ?? '');
  else if (type.startsWith('text/html')) answer.html = body;
}

/** A Node `ServerResponse` look-alike (what an Express response is). */
function nodeResponse(answer: Answer) {
  return {
    headersSent: false,
    statusCode: 200,
    getHeader: (k: string) => answer.headers[k],
    setHeader: (k: string, v: string) => (answer.headers[k] = v),
    end(body?: string) {
      record(answer, this.statusCode, body);
    },
  };
}

/** A Fastify reply look-alike. */
function fastifyReply(answer: Answer) {
  let code = 200;
  return {
    raw: { headersSent: false },
    sent: false,
    code(c: number) {
      code = c;
      return this;
    },
    header(k: string, v: string) {
      answer.headers[k] = v;
      return this;
    },
    send: (body?: string) => record(answer, code, body),
  };
}

type Platform = 'express' | 'fastify';

function host(
  req: { method?: string; accept?: string; originalUrl?: string },
  answer: Answer,
  platform: Platform = 'express',
): ArgumentsHost {
  const res = platform === 'fastify' ? fastifyReply(answer) : nodeResponse(answer);
  const request = {
    method: req.method ?? 'GET',
    url: req.originalUrl ?? '/p',
    originalUrl: req.originalUrl ?? '/p',
    headers: { accept: req.accept ?? 'application/json' },
  };
  return {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => res }),
  } as unknown as ArgumentsHost;
}

const HTML = 'text/html,application/xhtml+xml';

describe.each<Platform>(['express', 'fastify'])('AuthCodeExceptionFilter on %s', (platform) => {
  const filter = new AuthCodeExceptionFilter({ loginPath: '/start' });

  function answer(err: Error, req: Parameters<typeof host>[0] = {}): Answer {
    const a: Answer = { headers: {} };
    filter.catch(err as never, host(req, a, platform));
    return a;
  }

  it('sends Retry-After with a rate_limited answer', () => {
    const a = answer(
      new AuthCodeError({ code: 'rate_limited', message: 'slow down', retryAfterSeconds: 42 }),
    );
    expect(a.status).toBe(429);
    expect(a.headers['retry-after']).toBe('42');
    expect(a.json).toMatchObject({ statusCode: 429, error: 'rate_limited' });
  });

  it('answers API clients with the JSON body and no-store', () => {
    const a = answer(new SessionRequiredError('/start?returnTo=%2Fp'));
    expect(a.status).toBe(401);
    expect(a.json).toEqual({
      statusCode: 401,
      error: 'login_required',
      message: 'You are not logged in',
    });
    expect(a.headers['cache-control']).toBe('no-store');
  });

  it('redirects a browser without a session to the login URL (302 for GET, 303 otherwise)', () => {
    expect(
      answer(new SessionRequiredError('/start?returnTo=%2Fp'), { accept: HTML }).redirect,
    ).toEqual([302, '/start?returnTo=%2Fp']);
    expect(
      answer(new SessionRequiredError('/start'), { accept: HTML, method: 'POST' }).redirect,
    ).toEqual([303, '/start']);
  });

  it("offers a browser a 'Log in again' link to the provider's login, returning to the page", () => {
    const err = new LoginRequiredError({
      code: 'login_required',
      provider: 'xt',
      message: 'Log in with XT.COM again',
    });
    const a = answer(err, { accept: HTML, originalUrl: '/api/xt/profile' });
    expect(a.status).toBe(401);
    expect(a.html).toContain(
      '<a class="button" id="error-action" href="/auth/xt/login?returnTo=%2Fapi%2Fxt%2Fprofile">Log in again</a>',
    );
  });

  it('links a login_required page without a provider to the login page', () => {
    const a = answer(new SessionRequiredError(), { accept: HTML });
    expect(a.html).toContain('id="error-action" href="/start">Log in again</a>');
  });

  it('never shows a token a provider echoed into its message or code', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVlcw';
    const opaque = 'b3BhcXVlLXJlZnJlc2gtdG9rZW4tMTIzNDU2Nzg5MA';
    const err = new ProviderRejectedError({
      code: 'invalid_grant',
      provider: 'xt',
      providerCode: opaque,
      message: `XT.COM refused: token ${jwt} / ${opaque} (invalid_grant)`,
    });
    for (const accept of ['application/json', HTML]) {
      const a = answer(err, { accept });
      const text = a.html ?? JSON.stringify(a.json);
      expect(text).not.toContain(jwt);
      expect(text).not.toContain(opaque);
      expect(text).toContain('[redacted]');
    }
  });
});

describe('scrubSecrets', () => {
  it.each([
    ['keeps plain sentences', 'iSolarCloud refused the api request: code E00003 (token_dead)'],
    ['keeps URL paths', 'POST /openapi/platform/queryPowerStationList failed'],
    ['keeps long words without digits', 'Averyveryverylongidentifierwithoutanydigits'],
  ])('%s', (_name, text) => expect(scrubSecrets(text)).toBe(text));

  it('replaces a signed session cookie value', () => {
    const value =
      'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo.c2lnbmF0dXJlMTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u';
    expect(scrubSecrets(`cookie ${value}`)).toBe('cookie [redacted].[redacted]');
  });
});
