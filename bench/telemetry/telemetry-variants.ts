import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { openTelemetry, type AuthTelemetry } from 'nestjs-auth-code';

/** One way an app runs the library, as far as telemetry goes. */
export interface TelemetryVariant {
  /** Row name. */
  name: string;
  /** What it is, in words. */
  what: string;
  /** The telemetry the engine is built with. */
  telemetry: AuthTelemetry;
  /** Spans exported so far (flushing first); 0 where nothing records. */
  exported(): Promise<number>;
  /** Forgets exported spans (between rounds, so memory stays flat). */
  reset(): void;
  /** Shuts the SDK down. */
  close(): Promise<void>;
}

const nothing = {
  exported: async () => 0,
  reset: () => undefined,
  close: async () => undefined,
};

/**
 * The three variants: `@opentelemetry/api` not installed (the library's own fallback, the very
 * code path a missing package takes), the API installed without an SDK (its global no-ops), and a
 * real SDK: a `BatchSpanProcessor` into an in-memory exporter, a meter provider with a reader.
 */
export function telemetryVariants(): TelemetryVariant[] {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(spans, { maxQueueSize: 65_536 })],
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 60_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return [
    {
      name: 'no @opentelemetry/api',
      what: 'the package is not installed: nothing is loaded, each call only runs its function',
      telemetry: openTelemetry({}, () => undefined),
      ...nothing,
    },
    {
      name: 'API, no SDK',
      what: "`@opentelemetry/api` installed, no SDK registered: the API's global no-op tracer and meter",
      telemetry: openTelemetry(),
      ...nothing,
    },
    {
      name: 'API + SDK',
      what: 'a registered SDK: spans batched to an exporter, 5 metric instruments aggregated',
      telemetry: openTelemetry({ tracerProvider, meterProvider }),
      exported: async () => {
        await tracerProvider.forceFlush();
        return spans.getFinishedSpans().length;
      },
      reset: () => spans.reset(),
      close: async () => {
        await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      },
    },
  ];
}
