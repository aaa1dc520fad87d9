import type { BenchScenario } from '../scenario';
import { connectionsDirectory } from './connections-directory.bench';
import { dpop } from './dpop.bench';
import { exchangeOverhead } from './exchange-overhead.bench';
import { guardOverhead } from './guard-overhead.bench';
import { hostileInput } from './hostile-input.bench';
import { hotPath } from './hot-path.bench';
import { interceptorOverhead } from './interceptor-overhead.bench';
import { loginFlood } from './login-flood.bench';
import { memoryPerSession } from './memory-per-session.bench';
import { refreshStorm } from './refresh-storm.bench';
import { telemetryOverhead } from './telemetry-overhead.bench';
import { upkeep } from './upkeep.bench';

/** Every scenario `npm run bench` knows, in the order a full run executes them. Add yours here. */
export const SCENARIOS: BenchScenario[] = [
  refreshStorm,
  guardOverhead,
  interceptorOverhead,
  hotPath,
  exchangeOverhead,
  memoryPerSession,
  hostileInput,
  loginFlood,
  telemetryOverhead,
  dpop,
  upkeep,
  connectionsDirectory,
];
