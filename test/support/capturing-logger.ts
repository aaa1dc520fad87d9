import type { LoggerService, LogLevel } from '@nestjs/common';
import { inspect } from 'node:util';

const ALL_LEVELS: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/**
 * A Nest {@link LoggerService} that keeps every line at every level (verbose and debug included),
 * with its context and any extra parameters (errors with their stacks and causes), as text.
 */
export class CapturingLogger implements LoggerService {
  /** Every captured line, `level [context] message params...`. */
  readonly lines: string[] = [];

  log(message: unknown, ...params: unknown[]): void {
    this.push('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.push('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.push('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.push('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.push('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.push('fatal', message, params);
  }

  /** Keeps every level enabled whatever Nest asks for. */
  setLogLevels(_levels: LogLevel[]): void {}

  /** The levels this logger records: all of them. */
  get levels(): LogLevel[] {
    return ALL_LEVELS;
  }

  /** Also records what anything writes to the console or to stdout/stderr; returns the undo. */
  captureProcessOutput(): () => void {
    const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
    const saved = methods.map((m) => console[m]);
    methods.forEach((m) => {
      console[m] = (...args: unknown[]) => this.push(`console.${m}`, args.shift(), args);
    });
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const tap =
      (name: string, write: typeof out) =>
      (chunk: unknown, ...rest: unknown[]): boolean => {
        this.lines.push(`${name} ${String(chunk)}`);
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      };
    process.stdout.write = tap('stdout', out) as typeof process.stdout.write;
    process.stderr.write = tap('stderr', err) as typeof process.stderr.write;
    return () => {
      methods.forEach((m, i) => (console[m] = saved[i] as never));
      process.stdout.write = out;
      process.stderr.write = err;
    };
  }

  private push(level: string, message: unknown, params: unknown[]): void {
    const text = [message, ...params].map((p) =>
      typeof p === 'string' ? p : inspect(p, { depth: 6 }),
    );
    this.lines.push(`${level} ${text.join(' ')}`);
  }
}
