import { Client } from 'pg';

export interface WorkNotificationsSettings {
  databaseUrl: string;
  /** Channels to LISTEN on; a NOTIFY on any of them calls `onWork`. */
  channels: string[];
  /** Names the connection in pg_stat_activity. */
  applicationName: string;
  /** Called on every notification, and after each (re)connect: what was notified while away is not lost. */
  onWork: () => void;
  /** Told when the connection is lost or cannot be made (it is retried). */
  onError?: (error: Error) => void;
  /** Wait before reconnecting after a loss (default 1 s, doubling up to 30 s). */
  reconnectMs?: { baseMs: number; maxMs: number };
}

/**
 * One dedicated connection that LISTENs for "work was queued" notifications, so a worker can
 * wake on work instead of polling for it. It reconnects after a loss (with growing pauses) and
 * wakes the worker after each connect. `listening` says whether notifications arrive now: while
 * it is false the worker should poll at its fast interval.
 */
export class WorkNotifications {
  private client: Client | undefined;
  private connected = false;
  private stopped = true;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly settings: WorkNotificationsSettings) {
    for (const channel of settings.channels) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
    }
  }

  get listening(): boolean {
    return this.connected;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.connected = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.settings.databaseUrl,
      application_name: this.settings.applicationName,
    });
    let lostOnce = false;
    const lost = (error: Error): void => {
      if (lostOnce) return;
      lostOnce = true;
      if (this.client === client) this.client = undefined;
      this.connected = false;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.settings.onError?.(error);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('the LISTEN connection ended')));
    client.on('notification', () => this.settings.onWork());
    this.client = client;
    try {
      await client.connect();
      await client.query(this.settings.channels.map((channel) => `LISTEN ${channel}`).join('; '));
    } catch (error) {
      lost(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.stopped || lostOnce) return;
    this.connected = true;
    this.failures = 0;
    this.settings.onWork();
  }

  private scheduleReconnect(): void {
    const { baseMs, maxMs } = this.settings.reconnectMs ?? { baseMs: 1_000, maxMs: 30_000 };
    this.failures += 1;
    const delay = Math.min(maxMs, baseMs * 2 ** (this.failures - 1));
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }
}
