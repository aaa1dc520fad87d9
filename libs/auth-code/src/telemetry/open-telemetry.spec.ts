import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  LoginRequiredError,
  ProviderRejectedError,
  TransportError,
} from '../errors/auth-code.errors';
import { OtelMemory } from '../../../../test/support/otel-memory';
import { openTelemetry } from './open-telemetry';

const rejected = new ProviderRejectedError({
  code: 'invalid_grant',
  provider: 'p',
  operation: 'refresh',
  message: 'the refresh token secret-rt-1 is dead',
});

describe('openTelemetry', () => {
  let otel: OtelMemory;
  beforeEach(() => (otel = new OtelMemory()));
  afterEach(() => otel.shutdown());
  const telemetry = () => openTelemetry(otel);

  it('reports an operation as an internal span and counts it with its duration', async () => {
    const result = await telemetry().operation('exchange', 'xt', async () => 42);
    expect(result).toBe(42);
    const [span] = otel.spans();
    expect(span).toMatchObject({
      name: 'auth_code.exchange',
      kind: SpanKind.INTERNAL,
      attributes: { 'auth_code.provider': 'xt', 'auth_code.operation': 'exchange' },
      status: { code: SpanStatusCode.UNSET },
    });
    const attributes = {
      'auth_code.provider': 'xt',
      'auth_code.operation': 'exchange',
      'auth_code.outcome': 'success',
    };
    expect(await otel.points('auth_code.operations')).toEqual([
      expect.objectContaining({ attributes, value: 1 }),
    ]);
    expect(await otel.points('auth_code.operation.failures')).toEqual([]);
    const [duration] = await otel.points('auth_code.operation.duration');
    expect(duration).toMatchObject({ unit: 's', attributes, value: { count: 1 } });
  });

  it("marks a failure with its normalized code and its cause's, never the message", async () => {
    const err = new LoginRequiredError({
      code: 'login_required',
      provider: 'xt',
      message: 'log in again',
      cause: rejected,
    });
    const run = telemetry().operation('refresh', 'xt', async () => Promise.reject(err));
    await expect(run).rejects.toBe(err);
    const [span] = otel.spans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'login_required' });
    expect(span.attributes).toMatchObject({
      'error.type': 'login_required',
      'auth_code.error.cause': 'invalid_grant',
    });
    expect(span.events).toEqual([]);
    expect(await otel.points('auth_code.operation.failures')).toEqual([
      expect.objectContaining({
        attributes: expect.objectContaining({
          'auth_code.outcome': 'failure',
          'error.type': 'login_required',
        }),
        value: 1,
      }),
    ]);
  });

  it('names an error that is not ours by its class only', async () => {
    const run = telemetry().operation('api', 'xt', async () => {
      throw new TypeError('token=secret-at-1 is not a function');
    });
    await expect(run).rejects.toThrow(TypeError);
    expect(otel.spans()[0].attributes['error.type']).toBe('TypeError');
    expect(otel.spans()[0].status.message).toBe('TypeError');
  });

  it('adds the refresh attributes to the span and records the waiters', async () => {
    await telemetry().operation('refresh', 'xt', async (span) => {
      span.set({ 'refresh.outcome': 'refreshed', 'refresh.waiters': 4, 'refresh.attempts': 1 });
    });
    expect(otel.spans()[0].attributes).toMatchObject({
      'refresh.outcome': 'refreshed',
      'refresh.waiters': 4,
      'refresh.attempts': 1,
    });
    const [waiters] = await otel.points('auth_code.refresh.waiters');
    expect(waiters).toMatchObject({
      attributes: { 'auth_code.provider': 'xt', 'refresh.outcome': 'refreshed' },
      value: { count: 1, sum: 4 },
    });
    const [count] = await otel.points('auth_code.operations');
    expect(count.attributes['refresh.outcome']).toBe('refreshed');
  });

  it('reports an HTTP call as a client span by the semantic conventions, without query or user info', async () => {
    const url = 'https://user:pw@api.example.com:8443/v1/token?code=secret-code-1&x=2#frag';
    const res = await telemetry().httpCall({ method: 'GET', url }, 'xt', 'exchange', async () => ({
      status: 200,
      text: 'access_token=secret-at-1',
    }));
    expect(res.status).toBe(200);
    const [span] = otel.spans();
    expect(span.name).toBe('GET');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': 'api.example.com',
      'server.port': 8443,
      'url.full': 'https://api.example.com:8443/v1/token',
      'http.response.status_code': 200,
      'auth_code.provider': 'xt',
      'auth_code.operation': 'exchange',
    });
    const [duration] = await otel.points('http.client.request.duration');
    expect(duration.unit).toBe('s');
    expect(duration.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': 'api.example.com',
      'server.port': 8443,
      'http.response.status_code': 200,
      'auth_code.provider': 'xt',
      'auth_code.operation': 'exchange',
    });
  });

  it('marks a 4xx answer and a failed call as errors of their status or code', async () => {
    const t = telemetry();
    const call = { method: 'POST', url: 'http://127.0.0.1/token' };
    await t.httpCall(call, 'p', 'refresh', async () => ({ status: 401 }));
    const timeout = new TransportError({ code: 'timeout', provider: 'p', message: 'slow' });
    await expect(
      t.httpCall(call, 'p', 'refresh', async () => Promise.reject(timeout)),
    ).rejects.toBe(timeout);
    const [answered, failed] = otel.spans();
    expect(answered.attributes).toMatchObject({
      'http.response.status_code': 401,
      'error.type': '401',
      'server.port': 80,
    });
    expect(answered.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['error.type']).toBe('timeout');
    expect(failed.attributes['http.response.status_code']).toBeUndefined();
  });

  it('runs the function and reports nothing when @opentelemetry/api is not installed', async () => {
    const t = openTelemetry(otel, () => undefined);
    expect(t.enabled).toBe(false);
    expect(await t.operation('exchange', 'xt', async () => 'ran')).toBe('ran');
    const res = await t.httpCall({ method: 'GET', url: 'http://x/' }, 'xt', 'api', async () => ({
      status: 204,
    }));
    expect(res.status).toBe(204);
    expect(otel.spans()).toEqual([]);
    expect(await otel.metrics()).toEqual([]);
  });

  it('loads the API only at the first report, and once', () => {
    let loads = 0;
    const t = openTelemetry(otel, () => {
      loads++;
      return undefined;
    });
    expect(loads).toBe(0);
    void t.enabled;
    void t.enabled;
    expect(loads).toBe(1);
  });

  it('turns itself off with one warning when the API fails to load, instead of failing logins', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const t = openTelemetry(otel, () => {
        throw new RangeError('broken install');
      });
      expect(await t.operation('exchange', 'xt', async () => 'ran')).toBe('ran');
      expect(await t.operation('exchange', 'xt', async () => 'again')).toBe('again');
      expect(warn.mock.calls).toEqual([
        ['nestjs-auth-code: @opentelemetry/api failed to load (RangeError); telemetry is off'],
      ]);
      expect(t.enabled).toBe(false);
    } finally {
      warn.mockRestore();
    }
  });
});
