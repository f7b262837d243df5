/**
 * bench:cluster's paper projection: deliveries/s of N cluster nodes from one run's measured
 * costs. The model, whose assumptions run.ts prints beside the table:
 *   - each node is one process on one core of its own (PARLOR_WORKERS=k runs k nodes), and
 *     its core is the limit (1,000,000 µs of CPU a second);
 *   - the room's subscribers are spread evenly over the nodes (a least-connections balancer);
 *   - a node pays `cpuMicrosPerDelivery` per delivery (a cluster node's measured figure) and,
 *     for every message of the room, `nodeMicrosPerMessage` (what a node does per message
 *     besides its deliveries: accepting it, one PUBLISH, receiving the copy from Redis);
 *   - Redis, on a core of its own, pays `redisMicrosPerMessage[0]` per message with one node
 *     in the room and `redisMicrosPerMessage[1] − [0]` more for each further node (one more
 *     copy sent); PostgreSQL does nothing per message.
 */

export interface ProjectionInputs {
  /** A cluster node's CPU per delivery, µs. */
  readonly cpuMicrosPerDelivery: number;
  /** A node's CPU per message of the room besides its deliveries, µs. */
  readonly nodeMicrosPerMessage: number;
  /** Redis CPU per message with one and with two nodes in the room, µs. */
  readonly redisMicrosPerMessage: readonly [number, number];
  /** Messages a second, the whole cluster together. */
  readonly messagesPerSecond: number;
}

export interface ProjectedCluster {
  readonly nodes: number;
  /** Deliveries a second of the whole cluster with every node's core full. */
  readonly deliveriesPerSecond: number;
  /** Subscribers that many deliveries serve at `messagesPerSecond`. */
  readonly subscribers: number;
  /** Share of one core Redis spends on the messages (0–1). */
  readonly redisCoreShare: number;
}

const CORE_MICROS_PER_SECOND = 1_000_000;

export function projectCluster(inputs: ProjectionInputs, nodes: number): ProjectedCluster {
  const { cpuMicrosPerDelivery, nodeMicrosPerMessage, redisMicrosPerMessage, messagesPerSecond } = inputs;
  const perNodeBudget = CORE_MICROS_PER_SECOND - messagesPerSecond * Math.max(0, nodeMicrosPerMessage);
  const perNode = Math.max(0, perNodeBudget) / cpuMicrosPerDelivery;
  const deliveriesPerSecond = nodes * perNode;
  const [one, two] = redisMicrosPerMessage;
  const redisPerMessage = one + (nodes - 1) * Math.max(0, two - one);
  return {
    nodes,
    deliveriesPerSecond,
    subscribers: deliveriesPerSecond / messagesPerSecond,
    redisCoreShare: (messagesPerSecond * redisPerMessage) / CORE_MICROS_PER_SECOND,
  };
}
