/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one email
 * (or ten times that from one address) within the window, further attempts are
 * refused without checking the password until the window moves on. Kept in
 * the process: with several API processes each counts its own, which still
 * bounds guessing to a small multiple.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until another attempt is allowed, or 0 if it is allowed now. */
  retryAfter(email: string, address: string): number {
    return Math.max(this.wait(`email:${email}`, this.maxFailures), this.wait(`ip:${address}`, this.maxFailures * 10));
  }

  recordFailure(email: string, address: string): void {
    for (const key of [`email:${email}`, `ip:${address}`]) this.failures.set(key, [...this.recent(key), this.now()]);
    if (this.failures.size > 10_000) this.prune();
  }

  recordSuccess(email: string): void {
    this.failures.delete(`email:${email}`);
  }

  private wait(key: string, limit: number): number {
    const times = this.recent(key);
    if (times.length < limit) return 0;
    return Math.ceil((times[times.length - limit]! + this.windowMs - this.now()) / 1000);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) if (this.recent(key).length === 0) this.failures.delete(key);
  }
}
