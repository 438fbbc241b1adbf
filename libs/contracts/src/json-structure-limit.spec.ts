import { exceedsJsonStructures, maxJsonDepth, maxJsonMembers, maxJsonStructures } from './json-structure-limit';

describe('JSON structure limit', () => {
  it('finds a megabyte of empty objects too complex in a few milliseconds', () => {
    const hostile = Buffer.from(`{"reasons":[${'{},'.repeat(349_000)}{}]}`);
    // The fastest of three: what the count costs; other work on a shared host only adds to it.
    let fastest = Infinity;
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = performance.now();
      expect(exceedsJsonStructures(hostile)).toBe(true);
      fastest = Math.min(fastest, performance.now() - started);
    }
    expect(fastest).toBeLessThan(50);
  });

  it('lets through real bodies, with brackets in strings counted but far below the limit', () => {
    const submission = {
      formData: { note: '[draft] {see attached}' },
      attachments: [{ contentBase64: 'A'.repeat(500_000) }],
    };
    expect(exceedsJsonStructures(Buffer.from(JSON.stringify(submission)))).toBe(false);
    expect(exceedsJsonStructures(Buffer.from(`[${'[],'.repeat(maxJsonStructures - 2)}[]]`))).toBe(false);
    expect(exceedsJsonStructures(Buffer.from(`[${'[],'.repeat(maxJsonStructures - 1)}[]]`))).toBe(true);
  });

  // Found by the bad-input run: 19 500 levels parsed, then JSON.stringify of the body crashed the gateway.
  it('finds nesting deeper than the limit too complex, and brackets in strings cannot hide a level', () => {
    const nested = (depth: number) => Buffer.from(`${'{"a":'.repeat(depth - 1)}[1]${'}'.repeat(depth - 1)}`);
    expect(exceedsJsonStructures(nested(maxJsonDepth))).toBe(false);
    expect(exceedsJsonStructures(nested(maxJsonDepth + 1))).toBe(true);
    expect(exceedsJsonStructures(nested(19_500))).toBe(true);
    // Each level hides closing brackets (and an escaped quote) in a string: a naive count would see no depth.
    const level = '{"x":"}]}]\\"}]","y":';
    const hiding = `${level.repeat(maxJsonDepth + 1)}1${'}'.repeat(maxJsonDepth + 1)}`;
    expect(() => JSON.parse(hiding) as unknown).not.toThrow();
    expect(exceedsJsonStructures(Buffer.from(hiding))).toBe(true);
    const quoted = Buffer.from(JSON.stringify({ text: `"${'['.repeat(500)}`, more: { deeper: [1] } }));
    expect(exceedsJsonStructures(quoted)).toBe(false);
  });

  it('finds a megabyte of distinct keys or of list elements too complex before parsing', () => {
    const keys = Buffer.from(`{${Array.from({ length: 80_000 }, (_, i) => `"f${i}":1`).join(',')}}`);
    expect(exceedsJsonStructures(keys)).toBe(true);
    expect(exceedsJsonStructures(Buffer.from(`[${'1,'.repeat(500_000)}1]`))).toBe(true);
    expect(exceedsJsonStructures(Buffer.from(`[${'1,'.repeat(maxJsonMembers)}1]`))).toBe(false);
    expect(exceedsJsonStructures(Buffer.from(`[${'1,'.repeat(maxJsonMembers + 1)}1]`))).toBe(true);
  });
});
