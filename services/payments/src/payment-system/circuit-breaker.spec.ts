import { CircuitBreaker } from './circuit-breaker';

describe('circuit breaker', () => {
  let clock = 0;
  const breaker = () => new CircuitBreaker({ failureThreshold: 3, resetAfterMs: 1_000 }, () => clock);

  beforeEach(() => {
    clock = 0;
  });

  it('opens after the threshold of consecutive failures, not before', () => {
    const circuit = breaker();
    circuit.failed();
    circuit.failed();
    expect(circuit.allows()).toBe(true);
    circuit.failed();
    expect(circuit.state).toBe('open');
    expect(circuit.allows()).toBe(false);
    expect(circuit.waitMs()).toBe(1_000);
  });

  it('forgets failures after a success', () => {
    const circuit = breaker();
    circuit.failed();
    circuit.failed();
    circuit.succeeded();
    circuit.failed();
    circuit.failed();
    expect(circuit.state).toBe('closed');
  });

  it('lets a probe through after the reset time; a failed probe opens it again, a good one closes it', () => {
    const circuit = breaker();
    for (let i = 0; i < 3; i++) circuit.failed();
    clock = 999;
    expect(circuit.allows()).toBe(false);
    clock = 1_000;
    expect(circuit.state).toBe('half_open');
    circuit.failed();
    expect(circuit.state).toBe('open');
    clock = 2_000;
    expect(circuit.allows()).toBe(true);
    circuit.succeeded();
    expect(circuit.state).toBe('closed');
  });
});
