import { execFile } from 'node:child_process';

/** What a `dig` run printed, picked apart. */
export interface DigResult {
  readonly status: string;
  readonly flags: readonly string[];
  /** Answer section lines, whitespace-normalised (`name ttl class type rdata`). */
  readonly answers: readonly string[];
  /** `UDP` or `TCP`, from dig's `;; SERVER:` line. */
  readonly transport: string;
  readonly raw: string;
}

/** Parses dig's default output. */
export function parseDig(raw: string): DigResult {
  const status = /status: (\w+)/.exec(raw)?.[1] ?? '';
  const flags = (/;; flags: ([^;]*);/.exec(raw)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const section = /;; ANSWER SECTION:\n([\s\S]*?)\n\n/.exec(raw)?.[1] ?? '';
  const answers = section
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/).join(' '));
  const transport = /;; SERVER: .*\((UDP|TCP)\)/.exec(raw)?.[1] ?? '';
  return { status, flags, answers, transport, raw };
}

/** Runs the system `dig` against a local server (one try, short timeout) and parses its output. */
export function dig(server: string, port: number, args: readonly string[]): Promise<DigResult> {
  const argv = [`@${server}`, '-p', String(port), '+tries=1', '+time=3', ...args];
  return new Promise((resolve, reject) => {
    execFile('dig', argv, { timeout: 10_000 }, (error, stdout) => {
      if (error !== null && stdout === '') reject(error);
      else resolve(parseDig(stdout));
    });
  });
}
