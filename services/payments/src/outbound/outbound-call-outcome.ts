/** `done`: the call is over (whatever the answer); `wait`: not yet possible, try again shortly. */
export type OutboundCallOutcome = 'done' | 'wait';
