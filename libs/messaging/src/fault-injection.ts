/**
 * Fault injection for the chaos run (`npm run chaos`), off unless MESSAGING_FAULT_INJECTION=1:
 * then SIGUSR2 arms a crash (SIGKILL of the process itself) right after the next handler
 * transaction commits and before kafkajs commits its offset — the window the inbox exists for.
 */
let armed = false;

if (process.env.MESSAGING_FAULT_INJECTION === '1') {
  process.on('SIGUSR2', () => {
    armed = true;
  });
}

export function crashHereIfArmed(): void {
  if (armed) process.kill(process.pid, 'SIGKILL');
}
