/**
 * A value loaded at most once per `maxAgeMs` and shared by every caller meanwhile (the figures read
 * whole tables; many open consoles must not multiply that). A failed load is not kept.
 */
export class RecentValue<T> {
  private latest: { at: number; value: Promise<T> } | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly maxAgeMs: number,
  ) {}

  get(): Promise<T> {
    if (!this.latest || Date.now() - this.latest.at > this.maxAgeMs) {
      const value = this.load();
      this.latest = { at: Date.now(), value };
      value.catch(() => {
        if (this.latest?.value === value) this.latest = undefined;
      });
    }
    return this.latest.value;
  }
}
