import { type CpuProfile, hottestFunctions, placeOf, timeByPlace } from './cpu-profile';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 1 });

describe('cpu profile summary', () => {
  it('places frames in dependencies, own code, Node.js and V8', () => {
    expect(placeOf(frame('query', 'file:///work/main/node_modules/pg/lib/client.js'))).toBe('pg');
    expect(placeOf(frame('x', 'file:///r/node_modules/@nestjs/core/router.js'))).toBe('@nestjs/core');
    expect(placeOf(frame('append', 'file:///r/dist/libs/exchange-log/src/exchange-log.js'))).toBe('libs/exchange-log');
    expect(placeOf(frame('readFile', 'node:fs'))).toBe('node:internals');
    expect(placeOf(frame('(garbage collector)', ''))).toBe('(garbage collector)');
  });

  it('shares busy time by place and by function, idle left out', () => {
    const profile: CpuProfile = {
      startTime: 0,
      endTime: 1000,
      nodes: [
        { id: 1, callFrame: frame('(idle)', ''), hitCount: 100 },
        { id: 2, callFrame: frame('parse', 'file:///r/node_modules/pg/lib/result.js'), hitCount: 30 },
        { id: 3, callFrame: frame('send', 'file:///r/node_modules/kafkajs/src/producer.js'), hitCount: 10 },
        { id: 4, callFrame: frame('parse', 'file:///r/node_modules/pg/lib/result.js'), hitCount: 10 },
      ],
    };
    expect(timeByPlace(profile)).toEqual([
      { name: 'pg', share: 0.8 },
      { name: 'kafkajs', share: 0.2 },
    ]);
    expect(hottestFunctions(profile, 1)).toEqual([{ name: 'parse (pg)', share: 0.8 }]);
  });
});
