import type * as OtelApi from '@opentelemetry/api';
import type { AuthOperation } from '../errors/operation';
import { loadIfInstalled } from '../core/optional-dependency';
import { createInstruments, type Instruments } from './otel-instruments';
import {
  TELEMETRY_ATTRIBUTES as ATTR,
  causeType,
  errorType,
  httpRequestAttributes,
  type Attributes,
} from './telemetry-attributes';
import type {
  AuthTelemetry,
  HttpCallInfo,
  OperationAttributes,
  OperationSpan,
  TelemetryOperation,
} from './telemetry';

type Api = typeof OtelApi;

/** The instrumentation scope name spans and metrics are reported under. */
export const TELEMETRY_SCOPE = 'nestjs-auth-code';

/** Options of {@link openTelemetry}. */
export interface OpenTelemetryOptions {
  /** Where spans go. @default the global tracer provider (`trace.getTracerProvider()`) */
  tracerProvider?: { getTracer(name: string, version?: string): unknown };
  /** Where metrics go. @default the global meter provider (`metrics.getMeterProvider()`) */
  meterProvider?: { getMeter(name: string, version?: string): unknown };
}

/**
 * Telemetry through OpenTelemetry's API, the optional peer `@opentelemetry/api`. The package is
 * loaded at the first report, not before; when it is not installed, nothing is reported and
 * nothing fails. With the API but no SDK registered, every report is the API's no-op.
 *
 * @param load loads `@opentelemetry/api`, or answers undefined when it is missing; a parameter so
 *   a test can stand for an app without the package
 */
export function openTelemetry(
  options: OpenTelemetryOptions = {},
  // typed loosely so that this declaration names no type of the optional package
  load: () => object | undefined = loadApi,
): AuthTelemetry {
  return new OpenTelemetryBridge(options, load as () => Api | undefined);
}

function loadApi(): Api | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point
  return loadIfInstalled('@opentelemetry/api', () => require('@opentelemetry/api') as Api);
}

class OpenTelemetryBridge implements AuthTelemetry {
  /** The API once loaded; null when it is not installed or failed to load. */
  private api?: Api | null;
  private tracerProvider?: OtelApi.TracerProvider;
  private tracer?: OtelApi.Tracer;
  private meterProvider?: OtelApi.MeterProvider;
  private instruments?: Instruments;

  constructor(
    private readonly options: OpenTelemetryOptions,
    private readonly load: () => Api | undefined,
  ) {}

  get enabled(): boolean {
    return this.loaded() !== undefined;
  }

  operation<T>(
    op: TelemetryOperation,
    provider: string,
    fn: (span: OperationSpan) => Promise<T>,
  ): Promise<T> {
    const api = this.loaded();
    if (!api) return fn({ set: () => undefined });
    const base: Attributes = { [ATTR.provider]: provider, [ATTR.operation]: op };
    const started = performance.now();
    const options = { kind: api.SpanKind.INTERNAL, attributes: base };
    return this.tracerOf(api).startActiveSpan(`auth_code.${op}`, options, async (span) => {
      const added: OperationAttributes = {};
      const handle: OperationSpan = {
        set: (attributes) => {
          Object.assign(added, attributes);
          span.setAttributes(attributes as Attributes);
        },
      };
      try {
        const result = await fn(handle);
        this.recordOperation(api, base, added, started);
        return result;
      } catch (err) {
        span.setAttributes(failureAttributes(err));
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorType(err) });
        this.recordOperation(api, base, added, started, err);
        throw err;
      } finally {
        span.end();
      }
    });
  }

  httpCall<T extends { status: number }>(
    call: HttpCallInfo,
    provider: string,
    operation: AuthOperation,
    fn: () => Promise<T>,
  ): Promise<T> {
    const api = this.loaded();
    if (!api) return fn();
    // The metric's attributes are the span's without `url.full` (one series per host, not per URL).
    const { attributes: metric, url } = httpRequestAttributes(call.method, call.url);
    metric[ATTR.provider] = provider;
    metric[ATTR.operation] = operation;
    const attributes: Attributes =
      url === undefined ? { ...metric } : { ...metric, [ATTR.url]: url };
    const started = performance.now();
    const options = { kind: api.SpanKind.CLIENT, attributes };
    return this.tracerOf(api).startActiveSpan(call.method, options, async (span) => {
      let failure: string | undefined;
      try {
        const res = await fn();
        span.setAttribute(ATTR.status, (metric[ATTR.status] = res.status));
        // HTTP semantic conventions: a client span is an error from status 400 on.
        if (res.status >= 400) failure = String(res.status);
        return res;
      } catch (err) {
        failure = errorType(err);
        throw err;
      } finally {
        if (failure !== undefined) {
          metric[ATTR.errorType] = failure;
          span.setAttribute(ATTR.errorType, failure);
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: failure });
        }
        span.end();
        const seconds = (performance.now() - started) / 1000;
        this.instrumentsOf(api).httpDuration.record(seconds, metric);
      }
    });
  }

  private recordOperation(
    api: Api,
    base: Attributes,
    added: OperationAttributes,
    started: number,
    err?: unknown,
  ): void {
    const m = this.instrumentsOf(api);
    const attrs: Attributes = {
      ...base,
      [ATTR.outcome]: err === undefined ? 'success' : 'failure',
    };
    const refreshOutcome = added['refresh.outcome'];
    if (refreshOutcome) attrs['refresh.outcome'] = refreshOutcome;
    if (err !== undefined) Object.assign(attrs, failureAttributes(err));
    m.operations.add(1, attrs);
    if (err !== undefined) m.failures.add(1, attrs);
    m.duration.record((performance.now() - started) / 1000, attrs);
    const waiters = added['refresh.waiters'];
    if (waiters !== undefined) {
      m.waiters.record(waiters, {
        [ATTR.provider]: base[ATTR.provider],
        ...(refreshOutcome ? { 'refresh.outcome': refreshOutcome } : {}),
      });
    }
  }

  private loaded(): Api | undefined {
    if (this.api === undefined) {
      try {
        this.api = this.load() ?? null;
      } catch (err) {
        // A broken install must not break logins: report nothing, say so once.
        this.api = null;
        process.emitWarning(
          `nestjs-auth-code: @opentelemetry/api failed to load (${errorType(err)}); telemetry is off`,
        );
      }
    }
    return this.api ?? undefined;
  }

  /**
   * The tracer, got again only when the provider changes: the global one is a proxy that follows
   * a later SDK registration, and is replaced only when the API is reset (`trace.disable()`).
   */
  private tracerOf(api: Api): OtelApi.Tracer {
    const provider =
      (this.options.tracerProvider as OtelApi.TracerProvider | undefined) ??
      api.trace.getTracerProvider();
    if (provider !== this.tracerProvider || !this.tracer) {
      this.tracerProvider = provider;
      this.tracer = provider.getTracer(TELEMETRY_SCOPE, libraryVersion());
    }
    return this.tracer;
  }

  /** The instruments, made again when the global meter provider changes (it is no proxy). */
  private instrumentsOf(api: Api): Instruments {
    const provider =
      (this.options.meterProvider as OtelApi.MeterProvider | undefined) ??
      api.metrics.getMeterProvider();
    if (provider !== this.meterProvider || !this.instruments) {
      this.meterProvider = provider;
      this.instruments = createInstruments(provider.getMeter(TELEMETRY_SCOPE, libraryVersion()));
    }
    return this.instruments;
  }
}

/** `error.type` and, where there is one, the normalized code of the cause. */
function failureAttributes(err: unknown): Attributes {
  const cause = causeType(err);
  return { [ATTR.errorType]: errorType(err), ...(cause ? { [ATTR.cause]: cause } : {}) };
}

let version: string | null | undefined;

/** This package's version, when it is installed as a package (not from sources). */
function libraryVersion(): string | undefined {
  if (version === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- read once, lazily
      version = (require('nestjs-auth-code/package.json') as { version: string }).version;
    } catch {
      version = null;
    }
  }
  return version ?? undefined;
}
