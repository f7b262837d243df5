/**
 * `tsx bench/chat/profile-top.ts FILE.cpuprofile [N] [LAST_S]` — the N functions with the most
 * self time in a V8 CPU profile (as written by `--profile`), to see where a step's time goes;
 * with LAST_S only the profile's last LAST_S seconds (the publishing phase rather than the
 * token minting and connecting before it). Percentages are of the busy (non-idle) time.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, top = '25', last] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: profile-top.ts FILE.cpuprofile [N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
let idle = 0;
const times: number[] = [];
let clock = 0;
for (const dt of profile.timeDeltas) times.push((clock += dt));
const from = last === undefined ? 0 : clock - Number(last) * 1e6;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const node = byId.get(id);
  if (node === undefined || (times[i] ?? 0) < from) return;
  if (node.callFrame.functionName === '(idle)') {
    idle += dt;
    return;
  }
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
});
console.log(`${(total / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle`);
for (const [key, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
}
