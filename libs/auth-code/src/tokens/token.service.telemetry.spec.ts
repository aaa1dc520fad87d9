import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ProviderDefinition } from '../core/provider-definition';
import { MemoryTokenLock } from '../stores/memory-token.lock';
import { MemoryTokenStore } from '../stores/memory-token.store';
import { openTelemetry } from '../telemetry/open-telemetry';
import type { FakeOAuth2 } from '../testing/fake-oauth2.fake';
import { OtelMemory } from '../../../../test/support/otel-memory';
import {
  expireGrant,
  login,
  makeService,
  startFake,
} from '../../../../test/support/token-service.kit';

const refreshSpans = (otel: OtelMemory): ReadableSpan[] => otel.spansNamed('auth_code.refresh');

describe('TokenService: the refresh span', () => {
  let fake: FakeOAuth2;
  let def: ProviderDefinition;
  let otel: OtelMemory;
  beforeEach(async () => {
    ({ fake, def } = await startFake());
    otel = new OtelMemory();
  });
  afterEach(async () => {
    await fake.stop();
    await otel.shutdown();
  });

  it('is one span per refresh, counting the callers in this process that shared it', async () => {
    const kit = makeService([def], { telemetry: openTelemetry(otel) });
    const session = await login(kit, fake, def);
    await expireGrant(kit.store, session.id, def.id);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => kit.service.getValidToken(session.id, def.id)),
    );
    expect(fake.refreshCount).toBe(1);
    expect(results.every((r) => r.refreshed)).toBe(true);
    const [span, ...more] = refreshSpans(otel);
    expect(more).toEqual([]);
    expect(span.attributes).toMatchObject({
      'auth_code.provider': def.id,
      'refresh.outcome': 'refreshed',
      'refresh.waiters': 4,
      'refresh.attempts': 1,
    });
    const tokenCalls = otel
      .spansNamed('POST')
      .filter((s) => s.attributes['auth_code.operation'] === 'refresh');
    expect(tokenCalls).toHaveLength(1);
    const [waiters] = await otel.points('auth_code.refresh.waiters');
    expect(waiters.value).toMatchObject({ count: 1, sum: 4 });
  });

  it('reports nothing while the token is fresh', async () => {
    const kit = makeService([def], { telemetry: openTelemetry(otel) });
    const session = await login(kit, fake, def);
    expect((await kit.service.getValidToken(session.id, def.id)).refreshed).toBe(false);
    expect(refreshSpans(otel)).toEqual([]);
  });

  it("says 'joined' on the instance that waited for another instance's refresh", async () => {
    const store = new MemoryTokenStore(undefined, { sweepIntervalMs: 0 });
    const lock = new MemoryTokenLock();
    const telemetry = openTelemetry(otel);
    const a = makeService([def], { store, lock, telemetry });
    const b = makeService([def], { store, lock, telemetry });
    const session = await login(a, fake, def);
    await expireGrant(store, session.id, def.id);
    fake.latencyMs = 150;
    const [first, second] = await Promise.all([
      a.service.getValidToken(session.id, def.id),
      b.service.getValidToken(session.id, def.id),
    ]);
    expect(fake.refreshCount).toBe(1);
    expect(second.tokenSet.accessToken).toBe(first.tokenSet.accessToken);
    const outcomes = refreshSpans(otel).map((s) => [
      s.attributes['refresh.outcome'],
      s.attributes['refresh.attempts'],
    ]);
    expect(outcomes.sort()).toEqual([
      ['joined', 0],
      ['refreshed', 1],
    ]);
  });

  it("ends as 'login_required' with the provider's code as the cause when the grant is dead", async () => {
    const kit = makeService([def], { telemetry: openTelemetry(otel) });
    const session = await login(kit, fake, def);
    await expireGrant(kit.store, session.id, def.id);
    fake.forceError('refresh', { status: 400, body: { error: 'invalid_grant' } });
    await expect(kit.service.getValidToken(session.id, def.id)).rejects.toMatchObject({
      code: 'login_required',
    });
    const [span] = refreshSpans(otel);
    expect(span.attributes).toMatchObject({
      'refresh.outcome': 'login_required',
      'refresh.attempts': 1,
      'error.type': 'login_required',
      'auth_code.error.cause': 'invalid_grant',
    });
    const [failure] = await otel.points('auth_code.operation.failures');
    expect(failure.attributes).toMatchObject({
      'auth_code.operation': 'refresh',
      'refresh.outcome': 'login_required',
      'error.type': 'login_required',
    });
  });
});
