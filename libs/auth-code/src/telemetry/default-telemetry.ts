import { openTelemetry } from './open-telemetry';
import { NO_TELEMETRY, type AuthTelemetry } from './telemetry';

let shared: AuthTelemetry | undefined;

/**
 * The telemetry of a client configured with none: OpenTelemetry through its global providers
 * when `@opentelemetry/api` is installed (loaded at the first report), else nothing. An app that
 * registers no OpenTelemetry SDK gets the API's no-ops.
 */
export function defaultTelemetry(): AuthTelemetry {
  shared ??= openTelemetry();
  return shared;
}

/**
 * The telemetry an option names: `false` → {@link NO_TELEMETRY}; a telemetry as it is;
 * `undefined` → {@link defaultTelemetry}.
 */
export function resolveTelemetry(option: AuthTelemetry | false | undefined): AuthTelemetry {
  if (option === false) return NO_TELEMETRY;
  return option ?? defaultTelemetry();
}
