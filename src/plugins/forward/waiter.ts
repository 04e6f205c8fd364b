/** Why an upstream exchange failed; `closed` means a reused connection was closed by the peer. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    message: string,
    readonly code: 'timeout' | 'network' | 'closed' | 'aborted',
  ) {
    super(message);
  }
}

/** One query waiting for its reply: settles once, clears its timer and abort listener. */
export class Waiter<T> {
  readonly promise: Promise<T>;
  private resolveFn!: (value: T) => void;
  private rejectFn!: (error: Error) => void;
  private timer: NodeJS.Timeout | undefined;
  private readonly onAbort: (() => void) | undefined;
  settled = false;

  constructor(
    timeoutMs: number,
    what: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    this.timer = setTimeout(() => this.fail(new UpstreamError(`${what}: i/o timeout`, 'timeout')), timeoutMs);
    if (signal !== undefined) {
      this.onAbort = () => this.fail(new UpstreamError(`${what}: query aborted`, 'aborted'));
      if (signal.aborted) queueMicrotask(this.onAbort);
      else signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  resolve(value: T): void {
    if (this.settled) return;
    this.cleanup();
    this.resolveFn(value);
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.cleanup();
    this.rejectFn(error);
  }

  private cleanup(): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.onAbort !== undefined) this.signal?.removeEventListener('abort', this.onAbort);
  }
}
