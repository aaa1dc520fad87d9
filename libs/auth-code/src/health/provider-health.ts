import { parseObject } from '../core/json';
import type { ProviderProbes } from '../core/provider-definition';
import type { ProviderRegistry } from '../core/provider-registry';
import { HttpClient } from '../engine/http-client';
import { AuthCodeError } from '../errors/auth-code.errors';
import {
  HealthDeadlineError,
  withinDeadline,
  type AuthCodeHealthDetail,
  type HealthStatus,
} from './health-result';

/** Largest probe answer read: a discovery document or a key set is a few KiB. */
const MAX_PROBE_BYTES = 256 * 1024;

type ProbeName = keyof ProviderProbes;

/**
 * Whether `id`'s discovery document and JWKS answer, bounded by `timeoutMs`; undefined for a
 * provider without {@link ProviderProbes} (iSolarCloud, XT.COM, plain OAuth 2.0: nothing public
 * to fetch that spends nothing). A lazy provider that cannot resolve (discovery down since
 * start-up) is down with its error's code.
 */
export async function checkProviderHealth(
  registry: Pick<ProviderRegistry, 'get'>,
  id: string,
  timeoutMs: number,
): Promise<AuthCodeHealthDetail | undefined> {
  try {
    return await withinDeadline(timeoutMs, async () => {
      const def = await registry.get(id);
      if (!def.probes || (!def.probes.discovery && !def.probes.jwks)) return undefined;
      return probe(def.id, def.probes, timeoutMs);
    });
  } catch (err) {
    return { status: 'down', reason: reasonOf(err) };
  }
}

async function probe(
  id: string,
  probes: ProviderProbes,
  timeoutMs: number,
): Promise<AuthCodeHealthDetail> {
  const http = new HttpClient({ timeoutMs, maxResponseBytes: MAX_PROBE_BYTES, telemetry: false });
  const names = (['discovery', 'jwks'] as const).filter((n) => probes[n]);
  const results = await Promise.all(names.map((n) => fetchProbe(http, id, n, probes[n]!)));
  const detail: AuthCodeHealthDetail = { status: 'up' };
  for (const [i, name] of names.entries()) {
    detail[name] = results[i].status;
    if (results[i].reason) {
      detail.status = 'down';
      detail.reason ??= `${name}: ${results[i].reason}`;
    }
  }
  return detail;
}

async function fetchProbe(
  http: HttpClient,
  id: string,
  name: ProbeName,
  url: string,
): Promise<{ status: HealthStatus; reason?: string }> {
  try {
    const res = await http.send(
      { url, method: 'GET', headers: { accept: 'application/json' } },
      id,
      name === 'jwks' ? 'id_token' : 'discovery',
    );
    if (res.status !== 200) return { status: 'down', reason: `HTTP ${res.status}` };
    const body = parseObject(res.text);
    if (!body) return { status: 'down', reason: 'not a JSON object' };
    // deviates from RFC 7517: Tencent CIAM's English documentation spells the member "Keys".
    if (name === 'jwks' && !Array.isArray(body.keys ?? body.Keys)) {
      return { status: 'down', reason: 'no key set' };
    }
    if (name === 'discovery' && typeof body.issuer !== 'string') {
      return { status: 'down', reason: 'no issuer' };
    }
    return { status: 'up' };
  } catch (err) {
    return { status: 'down', reason: reasonOf(err) };
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof HealthDeadlineError) return 'timeout';
  if (err instanceof AuthCodeError) return err.code;
  return (err as Error)?.name ?? 'error';
}
