import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';

/** Where every benchmark writes its section. */
export const BENCHMARKS_DOC = 'docs/benchmarks.md';

const HEADER = `# Benchmarks

Each section below is written by one scenario of \`npm run bench\` (\`bench/run.ts\`) between its
\`<!-- <name>:start -->\` / \`<!-- <name>:end -->\` markers; run \`npm run bench -- <name>\` to refresh
it and leave the other sections alone. Figures are from one machine and one run: compare rows within
a section, not across machines.
`;

/** One line naming the machine and the run: cores, CPU, Node, OS, date. */
export function machineLine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return `${cpu.length} cores (${model}), Node ${process.version}, ${platform()} ${release()}, ${date} UTC`;
}

/**
 * Replaces the section of `name` in `doc` (creating the file, or appending the section, when
 * missing). Everything outside the markers is kept byte for byte.
 */
export function writeSection(name: string, body: string, doc = BENCHMARKS_DOC): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const current = existsSync(doc) ? readFileSync(doc, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from !== -1 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(doc, next);
}
