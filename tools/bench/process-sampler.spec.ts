import { cpuMsBetween, machineCpuPercent, type CpuSnapshot } from './process-sampler';

describe('bench process sampling', () => {
  it('counts each process’s CPU growth, a process started in the window in full and a gone one not at all', () => {
    const before: CpuSnapshot = new Map([
      ['gateway', new Map([[10, 500]])],
      ['postgresql', new Map([[20, 100], [21, 300]])], // prettier-ignore
    ]);
    const after: CpuSnapshot = new Map([
      ['gateway', new Map([[10, 650]])],
      // 21 closed its connection; 22 opened one in the window
      ['postgresql', new Map([[20, 140], [22, 25]])], // prettier-ignore
      ['portal load', new Map([[30, 7]])],
    ]);
    const ms = cpuMsBetween(before, after);
    expect(ms.get('gateway')).toBe(1_500); // 150 ticks at 100 a second
    expect(ms.get('postgresql')).toBe(650); // 40 + 25 ticks
    expect(ms.get('portal load')).toBe(70);
  });

  it('gives the machine’s busy share between two readings', () => {
    expect(machineCpuPercent({ busy: 100, total: 1_000 }, { busy: 250, total: 1_200 })).toBe(75);
    expect(machineCpuPercent({ busy: 100, total: 1_000 }, { busy: 100, total: 1_000 })).toBe(0);
  });
});
