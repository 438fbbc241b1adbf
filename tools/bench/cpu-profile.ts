/** Where a process's CPU time went, from a V8 .cpuprofile written by `node --cpu-prof`. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface TimeShare {
  name: string;
  /** Share of the sampled time, 0–1. */
  share: number;
}

/**
 * Groups self time by where the code lives: a dependency (`pg`, `kafkajs`, `typeorm` …), the
 * project's own libs and services, Node.js itself, or idle/GC (V8's pseudo-frames).
 */
export function placeOf(frame: ProfileNode['callFrame']): string {
  if (frame.functionName === '(idle)') return '(idle)';
  if (frame.functionName === '(garbage collector)') return '(garbage collector)';
  if (frame.functionName === '(program)') return '(program: V8 and native)';
  const url = frame.url;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  const own = /\/dist\/((?:libs|services|tools)\/[^/]+)/.exec(url);
  if (own) return own[1]!;
  if (url.startsWith('node:') || url === '') return `node:${frame.functionName ? 'internals' : 'native'}`;
  return url;
}

/** Self time by place, largest first, idle left out (shares are of the busy time). */
export function timeByPlace(profile: CpuProfile, top = 10): TimeShare[] {
  const hits = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const count = node.hitCount ?? 0;
    if (count === 0) continue;
    const place = placeOf(node.callFrame);
    if (place === '(idle)') continue;
    busy += count;
    hits.set(place, (hits.get(place) ?? 0) + count);
  }
  return [...hits.entries()]
    .map(([name, count]) => ({ name, share: busy === 0 ? 0 : count / busy }))
    .sort((a, b) => b.share - a.share)
    .slice(0, top);
}

/** The functions with the most self time (idle left out), as `name (place)`. */
export function hottestFunctions(profile: CpuProfile, top = 10): TimeShare[] {
  const hits = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const count = node.hitCount ?? 0;
    if (count === 0 || node.callFrame.functionName === '(idle)') continue;
    busy += count;
    const name = `${node.callFrame.functionName || '(anonymous)'} (${placeOf(node.callFrame)})`;
    hits.set(name, (hits.get(name) ?? 0) + count);
  }
  return [...hits.entries()]
    .map(([name, count]) => ({ name, share: busy === 0 ? 0 : count / busy }))
    .sort((a, b) => b.share - a.share)
    .slice(0, top);
}
