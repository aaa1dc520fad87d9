import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/** One data point of an exported metric, flattened. */
export interface MetricPoint {
  /** Instrument name. */
  name: string;
  /** Unit of the instrument. */
  unit: string;
  /** The point's attributes. */
  attributes: Record<string, unknown>;
  /** A counter's sum, or a histogram's `{ count, sum, min, max }`. */
  value: unknown;
}

/**
 * A real OpenTelemetry SDK pipeline that keeps everything in memory: spans through a
 * `SimpleSpanProcessor` into an `InMemorySpanExporter`, metrics through a reader into an
 * `InMemoryMetricExporter` (cumulative), read with {@link OtelMemory.metrics}.
 */
export class OtelMemory {
  /** Finished spans land here. */
  readonly spanExporter = new InMemorySpanExporter();
  /** The tracer provider to give the library (or register globally). */
  readonly tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(this.spanExporter)],
  });
  private readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  private readonly reader = new PeriodicExportingMetricReader({
    exporter: this.metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  /** The meter provider to give the library (or register globally). */
  readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  private global = false;

  /** Makes both providers OpenTelemetry's global ones, as an app's SDK set-up does. */
  registerGlobal(): this {
    trace.setGlobalTracerProvider(this.tracerProvider);
    metrics.setGlobalMeterProvider(this.meterProvider);
    this.global = true;
    return this;
  }

  /** The spans finished so far, oldest first. */
  spans(): ReadableSpan[] {
    return this.spanExporter.getFinishedSpans();
  }

  /** The spans named `name`. */
  spansNamed(name: string): ReadableSpan[] {
    return this.spans().filter((s) => s.name === name);
  }

  /** Every metric data point recorded so far (cumulative). */
  async metrics(): Promise<MetricPoint[]> {
    this.metricExporter.reset();
    await this.reader.forceFlush();
    const points: MetricPoint[] = [];
    for (const resource of this.metricExporter.getMetrics()) {
      for (const scope of resource.scopeMetrics) {
        for (const metric of scope.metrics) {
          for (const p of metric.dataPoints) {
            points.push({
              name: metric.descriptor.name,
              unit: metric.descriptor.unit,
              attributes: { ...p.attributes },
              value: p.value,
            });
          }
        }
      }
    }
    return points;
  }

  /** The points of metric `name`. */
  async points(name: string): Promise<MetricPoint[]> {
    return (await this.metrics()).filter((p) => p.name === name);
  }

  /** Shuts both providers down (and forgets the global registration). */
  async shutdown(): Promise<void> {
    if (this.global) {
      trace.disable();
      metrics.disable();
    }
    await Promise.all([this.tracerProvider.shutdown(), this.meterProvider.shutdown()]);
  }
}
