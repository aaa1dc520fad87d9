/** One benchmark: a name to run it by and a run that returns its Markdown section. */
export interface BenchScenario {
  /** Command-line name (`npm run bench -- <name>`) and the id of its section's markers. */
  name: string;
  /** One line for `npm run bench -- --list`. */
  description: string;
  /** Runs the measurements; returns the section body (Markdown, without the markers). */
  run(): Promise<string>;
}
