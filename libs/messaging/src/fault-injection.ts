import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Fault injection for the chaos run (`npm run chaos`), off unless MESSAGING_FAULT_INJECTION_DIR
 * names a folder: then a file `crash-<pid>` there arms a crash of this process (SIGKILL of
 * itself) right after its next handler transaction commits and before kafkajs commits the
 * offset — the window the inbox exists for. (A file, not a signal: NestJS's shutdown hooks take
 * the spare signals.)
 */
const trigger = process.env.MESSAGING_FAULT_INJECTION_DIR
  ? join(process.env.MESSAGING_FAULT_INJECTION_DIR, `crash-${process.pid}`)
  : undefined;

export function crashHereIfArmed(): void {
  if (!trigger || !existsSync(trigger)) return;
  rmSync(trigger, { force: true });
  process.kill(process.pid, 'SIGKILL');
}
