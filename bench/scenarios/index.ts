import type { BenchScenario } from '../scenario';
import { refreshStorm } from './refresh-storm.bench';

/** Every scenario `npm run bench` knows, in the order a full run executes them. Add yours here. */
export const SCENARIOS: BenchScenario[] = [refreshStorm];
