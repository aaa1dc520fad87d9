import { BENCHMARKS_DOC, writeSection } from './report';
import { SCENARIOS } from './scenarios';

/**
 * `npm run bench [-- <scenario>...]`: runs the named scenarios (all when none is named) and writes
 * each one's section into docs/benchmarks.md. `npm run bench -- --list` lists them.
 */
async function main(args: string[]): Promise<void> {
  if (args.includes('--list')) {
    for (const s of SCENARIOS) console.log(`${s.name.padEnd(20)} ${s.description}`);
    return;
  }
  const unknown = args.filter((a) => !SCENARIOS.some((s) => s.name === a));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  const chosen = args.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => args.includes(s.name));
  for (const scenario of chosen) {
    console.log(`# ${scenario.name}: ${scenario.description}`);
    const section = await scenario.run();
    writeSection(scenario.name, section);
    console.log(`${section}\n\n(written to ${BENCHMARKS_DOC})`);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
