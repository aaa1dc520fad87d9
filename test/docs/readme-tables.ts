import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_DESCRIPTORS, type ProviderDescriptor } from 'nestjs-auth-code';

/** The README. */
export const README = join(__dirname, '../../README.md');
const START =
  '<!-- provider-variables: generated from PROVIDER_DESCRIPTORS (npm run readme:tables) -->';
const END = '<!-- /provider-variables -->';

const HEADER = '| variable | default | meaning |\n|---|---|---|';

/** The table of every provider's variables, as the descriptors document them. */
export function providerVariableRows(
  descriptors: readonly ProviderDescriptor[] = PROVIDER_DESCRIPTORS,
): string {
  return `${HEADER}\n${descriptors
    .flatMap((d) =>
      Object.entries(d.environment.docs).map(
        ([name, doc]) => `| \`${name}\` | ${doc.default ?? '—'} | ${doc.meaning} |`,
      ),
    )
    .join('\n')}`;
}

/** The rows between the README's markers. */
export function readmeProviderRows(text = readFileSync(README, 'utf8')): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README: no "${START}" … "${END}" block`);
  return text.slice(start + START.length, end).trim();
}

/** Rewrites the README's block from the descriptors (`npm run readme:tables`). */
export function writeReadmeProviderRows(): void {
  const text = readFileSync(README, 'utf8');
  const current = readmeProviderRows(text);
  writeFileSync(README, text.replace(current, providerVariableRows()));
}

if (require.main === module) writeReadmeProviderRows();
