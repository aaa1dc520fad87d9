import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The README whose code the consumers are built from. */
export const README = join(__dirname, '../../README.md');

/**
 * The README's code blocks marked for the consumer stage: a `<!-- consumer: <name> -->` line right
 * above a fenced block. Names are file paths (`src/app.module.ts`, `src/main.ts (fastify)`) or
 * `install`. Throws when a marker has no block under it, so a broken README fails loudly.
 */
export function readmeBlocks(text = readFileSync(README, 'utf8')): Map<string, string> {
  const blocks = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!-- consumer: (.+) -->$/.exec(lines[i]);
    if (!marker) continue;
    const open = lines[i + 1] ?? '';
    if (!/^```\w*$/.test(open)) throw new Error(`README: no code block under "${lines[i]}"`);
    const end = lines.indexOf('```', i + 2);
    if (end === -1) throw new Error(`README: the block under "${lines[i]}" is not closed`);
    blocks.set(marker[1], `${lines.slice(i + 2, end).join('\n')}\n`);
  }
  return blocks;
}
