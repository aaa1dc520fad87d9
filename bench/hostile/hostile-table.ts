import type { HostileInput } from './input-classes';
import type { Shot } from './measure-input';

/** The recorded outcome of one input on one app, over the rounds. */
export type CellResult = { shots: Shot[] } | { capped: true };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
};

/** Human size: 1 KB, 12,000 B, 16 KB, 1 MB. */
export function size(bytes: number): string {
  if (bytes === 0) return '—';
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes.toLocaleString('en')} B`;
}

function statuses(cell: CellResult | undefined): string {
  if (!cell) return '';
  if ('capped' in cell) return 'capped';
  return [...new Set(cell.shots.map((s) => s.status || 'reset'))].join('/');
}

function cpu(cell: CellResult | undefined): string {
  if (!cell) return '';
  if ('capped' in cell) return `> ${(15_000_000).toLocaleString('en')} (capped)`;
  return Math.round(median(cell.shots.map((s) => s.cpuMicros))).toLocaleString('en');
}

function perSecond(cell: CellResult | undefined): string {
  if (!cell || 'capped' in cell) return '';
  const ms = median(cell.shots.map((s) => s.ms));
  return ms >= 1000 ? (1000 / ms).toFixed(2) : Math.round(1000 / ms).toLocaleString('en');
}

function rss(cell: CellResult | undefined): string {
  if (!cell || 'capped' in cell) return '';
  return String(Math.round(Math.max(0, ...cell.shots.map((s) => s.rssGrowth)) / (1024 * 1024)));
}

function requests(cell: CellResult | undefined): string {
  if (!cell) return '';
  return 'capped' in cell ? '1' : String(cell.shots.length);
}

/**
 * The before/after table: per input, the status, the median app CPU µs per request, the
 * sequential req/s of one connection, the largest growth of the app's RSS during one request and
 * the number of requests measured.
 */
export function hostileTable(
  inputs: HostileInput[],
  results: Map<string, { before?: CellResult; after: CellResult }>,
  withBefore: boolean,
): string {
  const head = withBefore
    ? [
        'input',
        'size',
        'status before → after',
        'CPU µs/req before',
        'CPU µs/req after',
        'req/s before',
        'req/s after',
        'app RSS growth MB before / after',
        'requests before / after',
      ]
    : ['input', 'size', 'status', 'CPU µs/req', 'req/s', 'app RSS growth MB', 'requests'];
  const rows = inputs.map((input) => {
    const r = results.get(key(input))!;
    return withBefore
      ? [
          input.name,
          size(input.bytes),
          `${statuses(r.before)} → ${statuses(r.after)}`,
          cpu(r.before),
          cpu(r.after),
          perSecond(r.before),
          perSecond(r.after),
          `${rss(r.before)} / ${rss(r.after)}`,
          `${requests(r.before)} / ${requests(r.after)}`,
        ]
      : [
          input.name,
          size(input.bytes),
          statuses(r.after),
          cpu(r.after),
          perSecond(r.after),
          rss(r.after),
          requests(r.after),
        ];
  });
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** The results map's key of an input. */
export function key(input: HostileInput): string {
  return `${input.name}@${input.bytes}`;
}
