/** bench:cluster's tables (Markdown, pasteable into docs) and goal lines, from one round's records. */
import type { ClusterStepRecord, Layout } from './cluster-step.js';
import { projectCluster, type ProjectionInputs } from './projection.js';

const k = (n: number): string => (Number.isFinite(n) ? `${Math.round(n / 1000)} k` : '—');
const f = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const signed = (n: number): string => `${n >= 0 ? '+' : ''}${f(n, 1)}`;
const size = (r: ClusterStepRecord): string => `${r.plan.rooms}×${r.plan.subscribers}`;
const pct = (cpuMicros: number, r: ClusterStepRecord): string => `${((100 * cpuMicros) / (r.windowSeconds * 1e6)).toFixed(0)}%`;
const find = (records: readonly ClusterStepRecord[], layout: Layout, label: string): ClusterStepRecord | undefined =>
  records.find((r) => r.layout === layout && size(r) === label);
const sizesOf = (records: readonly ClusterStepRecord[]): string[] => [...new Set(records.map(size))];

/** Per-node CPU as "everyone 93% 1.95 µs" or "publishers 4% …, subscribers 30% 2.90 µs/delivery". */
function nodesText(r: ClusterStepRecord): string {
  return r.nodes.map((n) => `${n.holds} ${pct(n.cpuMicros, r)} ${f(n.cpuMicros / n.deliveries)} µs/delivery`).join(', ');
}

const perMessage = (n: number, r: ClusterStepRecord): number => n / r.messages;
/**
 * The commands nodes send themselves (src/**: ioredis calls). INFO commandstats also counts the
 * commands a Lua script runs (TIME, HMGET, HSET, PEXPIRE inside one EVALSHA): listed apart.
 */
const SENT_BY_NODES = new Set(['publish', 'evalsha', 'eval', 'subscribe', 'unsubscribe', 'ping', 'multi', 'exec', 'client', 'select']);
const redisCommands = (r: ClusterStepRecord, sent = true): number =>
  Object.entries(r.redis?.commands ?? {}).reduce((a, [name, n]) => (SENT_BY_NODES.has(name) === sent ? a + n : a), 0);
const commandList = (r: ClusterStepRecord, sent: boolean): string =>
  Object.entries(r.redis?.commands ?? {})
    .filter(([name]) => SENT_BY_NODES.has(name) === sent)
    .sort(([, a], [, b]) => b - a)
    .map(([name, n]) => `${name} ${f(perMessage(n, r))}`)
    .join(', ');

export function stepLine(r: ClusterStepRecord): string {
  const verdict = r.failures.length === 0 ? 'ok' : `NOT sustained: ${r.failures.join(', ')}`;
  const work = r.redis && r.postgres ? `, Redis ${f(perMessage(redisCommands(r), r))} commands/msg, PostgreSQL ${f(perMessage(r.postgres.statements, r))} statements/msg` : '';
  return (
    `  ${r.layout} ${size(r)}: ${k(r.deliveriesPerSecond)}/s of ${k(r.offeredPerSecond)}/s offered (${(r.messages / r.windowSeconds).toFixed(0)} msg/s), ` +
    `p50 ${f(r.result.p50Ms, 1)} ms, p99 ${f(r.result.p99Ms, 1)} ms, max ${f(r.result.maxMs, 1)} ms, ${nodesText(r)}; ` +
    `all nodes ${f(r.cpuMicrosPerDelivery)} µs/delivery${work}, load generator ${r.result.loadgenCpuPercent.toFixed(0)}% CPU — ${verdict}`
  );
}

export function stepTable(records: readonly ClusterStepRecord[]): string {
  const rows = [
    '| layout | rooms × subscribers | deliveries/s | offered/s | p50 ms | p99 ms | max ms | node CPU (µs/delivery) | all nodes µs/delivery | loadgen CPU | verdict |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of records) {
    rows.push(
      `| ${r.layout} | ${size(r)} | ${k(r.deliveriesPerSecond)} | ${k(r.offeredPerSecond)} | ${f(r.result.p50Ms, 1)} | ${f(r.result.p99Ms, 1)} | ${f(r.result.maxMs, 1)} | ` +
        `${nodesText(r)} | ${f(r.cpuMicrosPerDelivery)} | ${r.result.loadgenCpuPercent.toFixed(0)}% | ${r.failures.length === 0 ? 'sustained' : r.failures.join('; ')} |`,
    );
  }
  return rows.join('\n');
}

/** (c): per chat message, what Redis and PostgreSQL did in each cluster step's window. */
export function costTable(records: readonly ClusterStepRecord[]): string {
  const rows = [
    '| layout | rooms × subscribers | messages | Redis commands/msg sent by nodes | run inside scripts | Redis bytes in/msg | Redis bytes out/msg | Redis CPU µs/msg | PostgreSQL statements/msg | PostgreSQL bytes/msg (to, from) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of records) {
    if (r.redis === undefined || r.postgres === undefined) continue;
    rows.push(
      `| ${r.layout} | ${size(r)} | ${Math.round(r.messages)} | ${f(perMessage(redisCommands(r), r))} (${commandList(r, true)}) | ${commandList(r, false)} | ${f(perMessage(r.redis.bytesIn, r), 0)} | ` +
        `${f(perMessage(r.redis.bytesOut, r), 0)} | ${f(perMessage(r.redis.cpuMicros, r), 1)} | ${f(perMessage(r.postgres.statements, r), 3)} | ` +
        `${f(perMessage(r.postgres.bytesToServer, r), 1)}, ${f(perMessage(r.postgres.bytesFromServer, r), 1)} |`,
    );
  }
  return rows.length > 2 ? rows.join('\n') : '(no cluster step ran)';
}

const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');
/**
 * A node that falls behind writes many queued frames per socket write, so its CPU per delivery
 * drops and its latency soars: a pair is comparable only when both steps were sustained.
 */
const caveat = (...steps: ClusterStepRecord[]): string =>
  steps.every((r) => r.failures.length === 0) ? '' : ' — NOT comparable: a step was not sustained (a node fell behind); repeat on a quieter machine';

/** One line per goal and size: (a) CPU per delivery ratio, (b) p99 added, (c) work per message against subscribers. */
export function goalLines(records: readonly ClusterStepRecord[]): string {
  const lines: string[] = [];
  for (const label of sizesOf(records)) {
    const embedded = find(records, 'embedded', label);
    const same = find(records, 'same-node', label);
    const cross = find(records, 'cross-node', label);
    if (embedded && same) {
      const ratio = same.cpuMicrosPerDelivery / embedded.cpuMicrosPerDelivery;
      lines.push(`- (a) ${label}: a cluster node's CPU per delivery ${f(same.cpuMicrosPerDelivery)} µs vs embedded ${f(embedded.cpuMicrosPerDelivery)} µs = ${f(ratio)}× (goal ≤ 1.15×: ${verdict(ratio <= 1.15)})${caveat(same, embedded)}`);
    }
    if (same && cross) {
      const added = cross.result.p99Ms - same.result.p99Ms;
      const vsEmbedded = embedded ? `; against embedded ${signed(cross.result.p99Ms - embedded.result.p99Ms)} ms` : '';
      lines.push(
        `- (b) ${label}: p99 with subscribers on another node ${f(cross.result.p99Ms, 1)} ms vs on the publishers' node ${f(same.result.p99Ms, 1)} ms: ` +
          `${signed(added)} ms (goal ≤ 5 ms: ${verdict(added <= 5)})${vsEmbedded}${caveat(same, cross)}`,
      );
      const cost = (cross.nodes[0]!.cpuMicros - cross.nodes[0]!.deliveries * same.cpuMicrosPerDelivery) / cross.messages;
      lines.push(`  the subscribers' node: ${f(cross.nodes[1]!.cpuMicros / cross.nodes[1]!.deliveries)} µs/delivery; the publishers' node: ${f(cost, 1)} µs per message besides its own deliveries`);
    }
  }
  const cluster = records.filter((r) => r.layout === 'same-node' && r.redis && r.postgres);
  if (cluster.length > 0) {
    const each = cluster.map((r) => `${size(r)}: ${f(perMessage(redisCommands(r), r))} Redis commands, ${f(perMessage(r.postgres!.statements, r), 3)} PostgreSQL statements`).join('; ');
    const commands = cluster.map((r) => perMessage(redisCommands(r), r));
    // Per subscriber would grow by the number of subscribers (hundreds); a spread below 0.5 command is background (presence refresh).
    const flat = Math.max(...commands) - Math.min(...commands) < 0.5 && cluster.every((r) => perMessage(r.postgres!.statements, r) < 0.1);
    lines.push(`- (c) per chat message on one node, ${each} (goal: the same whatever the subscribers: ${verdict(flat)})`);
  }
  return lines.length > 0 ? lines.join('\n') : '(no step pair ran)';
}

/** The projection's inputs from one round, or the reason there are none. */
export function projectionInputs(records: readonly ClusterStepRecord[], messagesPerSecond: number): ProjectionInputs | string {
  // Sustained steps only when there are any (a node that fell behind coalesces, and looks cheaper).
  const sameAll = records.filter((r) => r.layout === 'same-node');
  const same = sameAll.some((r) => r.failures.length === 0) ? sameAll.filter((r) => r.failures.length === 0) : sameAll;
  const cross = records.find((r) => r.layout === 'cross-node');
  if (same.length === 0 || cross === undefined) return 'the projection needs a same-node and a cross-node step';
  // The largest room is the per-delivery figure: a node of a big cluster holds a big share.
  const largest = same.reduce((a, r) => (r.plan.subscribers > a.plan.subscribers ? r : a));
  const sameAtCross = find(records, 'same-node', size(cross));
  if (sameAtCross?.redis === undefined || cross.redis === undefined) return 'the projection needs a same-node step of the cross-node size';
  const publishersNode = cross.nodes[0]!;
  return {
    cpuMicrosPerDelivery: largest.cpuMicrosPerDelivery,
    nodeMicrosPerMessage: (publishersNode.cpuMicros - publishersNode.deliveries * sameAtCross.cpuMicrosPerDelivery) / cross.messages,
    redisMicrosPerMessage: [sameAtCross.redis.cpuMicros / sameAtCross.messages, cross.redis.cpuMicros / cross.messages],
    messagesPerSecond,
  };
}

export function projectionTable(records: readonly ClusterStepRecord[], messagesPerSecond: number): string {
  const inputs = projectionInputs(records, messagesPerSecond);
  if (typeof inputs === 'string') return `(${inputs})`;
  const rows = [
    `inputs: ${f(inputs.cpuMicrosPerDelivery)} µs per delivery (same-node, largest size), ${f(inputs.nodeMicrosPerMessage, 1)} µs per message per node ` +
      `(the publishers' node, cross-node), Redis ${f(inputs.redisMicrosPerMessage[0], 1)} µs per message with one node, ${f(inputs.redisMicrosPerMessage[1], 1)} µs with two; ${messagesPerSecond} msg/s`,
    '',
    `| nodes (one core each) | deliveries/s | subscribers at ${messagesPerSecond} msg/s | Redis (share of one core) |`,
    '|---|---|---|---|',
  ];
  for (const nodes of [1, 2, 4, 8]) {
    const p = projectCluster(inputs, nodes);
    rows.push(`| ${nodes} | ${k(p.deliveriesPerSecond)} | ${Math.floor(p.subscribers).toLocaleString('en-US')} | ${(100 * p.redisCoreShare).toFixed(2)}% |`);
  }
  return rows.join('\n');
}

export function assumptions(messagesPerSecond: number): string {
  return [
    'Projection assumptions (bench/cluster/projection.ts):',
    '- each node is one process with one core of its own, and a node is full when that core is (p99 near 100 ms, as one embedded process at 500 k deliveries/s);',
    '- the subscribers are spread evenly over the nodes (a least-connections balancer); the CPU per delivery of every node is the measured',
    '  same-node figure at the largest size (larger rooms per node are cheaper per delivery, smaller dearer);',
    `- every node also spends the measured per-message work for each of the ${messagesPerSecond} messages a second (accepting, PUBLISH, the copy from Redis);`,
    '- Redis runs on a core of its own and pays one PUBLISH + one rate-limit script per message and one more copy out per node;',
    '  PostgreSQL does nothing per message (measured above); the network carries every delivery (a few hundred bytes each).',
  ].join('\n');
}
