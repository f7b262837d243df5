/**
 * Overview: how many rooms exist (ListRooms), what this node carries (GET /metrics: open
 * connections, rooms with connections, messages per second by outcome, review and chat-log
 * health) and whether it is ready (GET /readyz). Metrics are read every few seconds; one that
 * this server does not export shows as "—".
 */
import { ListRoomsCommand } from '@aws-sdk/client-ivschat';
import { useEffect, useRef, useState } from 'preact/hooks';
import { readMetrics, readReadyz, setMetricsToken, type Metrics, type MetricsResult } from '../api/metrics';
import type { Session } from '../api/session';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { formatBytes, formatCount } from '../ui/format';
import { RateChart } from '../ui/rate-chart';
import { href } from '../ui/router';
import { useAsync } from '../ui/use-async';

/** How often /metrics and /readyz are read, in ms. */
const POLL_MS = 2000;
/** Points kept for the messages-per-second chart (POLL_MS apart). */
const CHART_POINTS = 90;
/** Rooms counted at most (pages of 50). */
const MAX_ROOM_PAGES = 20;

async function countRooms(session: Session): Promise<{ count: number; more: boolean }> {
  let count = 0;
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_ROOM_PAGES; page++) {
    const r = await session.ivs.send(new ListRoomsCommand({ maxResults: 50, nextToken }));
    count += r.rooms?.length ?? 0;
    nextToken = r.nextToken;
    if (!nextToken) return { count, more: false };
  }
  return { count, more: true };
}

/** Messages a second from two readings of a counter; undefined until two exist. */
function perSecond(before: { at: number; value: number | undefined } | undefined, at: number, value: number | undefined): number | undefined {
  if (!before || before.value === undefined || value === undefined || at <= before.at) return undefined;
  return Math.max(0, (value - before.value) / ((at - before.at) / 1000));
}

export function OverviewPage({ session }: { session: Session }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(t);
  }, []);
  const [rooms] = useAsync(() => countRooms(session), [session, Math.floor(tick / 5)]);
  const [tokenChange, setTokenChange] = useState(0);
  const [metrics] = useAsync(() => readMetrics(session), [session, tick, tokenChange]);
  const [ready] = useAsync(() => readReadyz(), [tick]);

  // Delivered messages a second, from successive readings of parlor_chat_messages_total.
  const last = useRef<{ at: number; value: number | undefined } | undefined>(undefined);
  const [series, setSeries] = useState<[number[], number[]]>([[], []]);
  const [rate, setRate] = useState<number | undefined>();
  useEffect(() => {
    if (metrics.state !== 'ok' || metrics.value.kind !== 'ok') return;
    const { metrics: m, at } = metrics.value;
    const value = m.sum('parlor_chat_messages_total', { outcome: 'delivered' });
    const r = perSecond(last.current, at, value);
    last.current = { at, value };
    setRate(r);
    if (r !== undefined) setSeries(([xs, ys]) => [[...xs, at / 1000].slice(-CHART_POINTS), [...ys, r].slice(-CHART_POINTS)]);
  }, [metrics]);

  const result: MetricsResult | undefined = metrics.state === 'ok' ? metrics.value : undefined;
  const m = result?.kind === 'ok' ? result.metrics : undefined;

  return (
    <section>
      <div class="page-head">
        <h1 tabIndex={-1}>Overview</h1>
        <span class="muted small">Node {session.info.node}</span>
      </div>
      {metrics.state === 'failed' ? <ErrorBox error={metrics.error} title="GET /metrics failed" /> : null}
      {result?.kind === 'failed' ? <ErrorBox error={{ name: 'Metrics unavailable', message: result.message, status: undefined, requestId: undefined, fields: new Map() }} /> : null}
      {result?.kind === 'token-needed' ? <MetricsToken rejected={result.rejected} onSaved={() => setTokenChange((n) => n + 1)} /> : null}

      <div class="grid">
        <Stat label="Rooms" value={rooms.state === 'ok' ? `${formatCount(rooms.value.count)}${rooms.value.more ? '+' : ''}` : rooms.state === 'failed' ? '—' : '…'} sub={rooms.state === 'failed' ? `${rooms.error.name}` : 'in this region'} href={href('rooms')} />
        <Stat label="Open connections" value={formatCount(m?.sum('parlor_chat_connections'))} sub="chat WebSockets on this node" />
        <Stat label="Rooms with connections" value={formatCount(m?.sum('parlor_chat_rooms'))} sub="on this node" />
        <Stat label="Messages per second" value={formatCount(rate, 1)} sub="delivered, on this node" />
      </div>
      {rooms.state === 'failed' ? <ErrorBox error={rooms.error} title="The rooms could not be counted" /> : null}
      {rooms.state === 'ok' && rooms.value.count === 0 ? (
        <div class="info-box">
          No rooms yet — <a href={href('rooms')}>create one</a> to start chatting.
        </div>
      ) : null}

      <div class="two-col">
        <div class="card">
          <h2>Messages per second</h2>
          {series[0].length > 1 ? <RateChart label="Messages delivered per second" data={series} windowSeconds={(CHART_POINTS * POLL_MS) / 1000} /> : <p class="muted">{m ? 'Collecting — the chart starts after two readings.' : 'Needs /metrics.'}</p>}
          <Outcomes metrics={m} />
        </div>
        <div>
          <NodeCard session={session} ready={ready.state === 'ok' ? ready.value : undefined} readyError={ready.state === 'failed' ? ready.error.message : undefined} metrics={m} />
          <ReviewCard metrics={m} />
          <ChatLogCard metrics={m} />
        </div>
      </div>
    </section>
  );
}

function Stat({ label, value, sub, href: link }: { label: string; value: string; sub: string; href?: string }) {
  return (
    <div class="card stat">
      <div class="label">{link ? <a href={link}>{label}</a> : label}</div>
      <div class="value">{value}</div>
      <div class="sub">{sub}</div>
    </div>
  );
}

const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  delivered: 'Delivered',
  validation: 'Refused: invalid',
  forbidden: 'Refused: no SEND_MESSAGE',
  rate_limit: 'Refused: rate limit',
  slow_mode: 'Refused: slow mode',
  review_deny: 'Denied by review',
  review_fallback_deny: 'Denied by review fallback',
  error: 'Failed inside Parlor',
};

function Outcomes({ metrics }: { metrics: Metrics | undefined }) {
  if (!metrics) return null;
  const outcomes = metrics.byLabel('parlor_chat_messages_total', 'outcome');
  if (outcomes.size === 0) return <p class="muted small">This server does not report messages by outcome.</p>;
  return (
    <table class="compact">
      <caption class="muted small">Messages since the node started, by outcome</caption>
      <tbody>
        {[...outcomes].map(([outcome, n]) => (
          <tr key={outcome}>
            <th scope="row">{OUTCOME_WORDS[outcome] ?? outcome}</th>
            <td>{formatCount(n)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NodeCard({ session, ready, readyError, metrics }: { session: Session; ready: Awaited<ReturnType<typeof readReadyz>> | undefined; readyError: string | undefined; metrics: Metrics | undefined }) {
  const lag = metrics?.sum('nodejs_eventloop_lag_p99_seconds');
  const checks = Object.entries(ready?.checks ?? {});
  return (
    <div class="card">
      <h2>This node</h2>
      <dl class="facts">
        <dt>Node</dt>
        <dd>
          <code>{session.info.node}</code>
        </dd>
        <dt>Mode</dt>
        <dd>{session.info.mode === 'cluster' ? 'Cluster (PostgreSQL + Redis)' : 'Embedded (SQLite)'}</dd>
        <dt>Authentication</dt>
        <dd>{session.info.auth === 'open' ? 'Open: every request is accepted' : 'Enforced: signed requests, auth-file policies'}</dd>
        <dt>Ready</dt>
        <dd>
          {ready ? <span class={`pill ${ready.httpStatus === 200 ? 'ok' : 'bad'}`}>{ready.status}</span> : <span class="muted">{readyError ?? '…'}</span>}
          {checks.length > 0 ? (
            <span class="small">
              {' '}
              {checks.map(([k, v]) => (
                <span key={k} class={`pill ${v === 'up' ? 'ok' : 'bad'}`} style={{ marginLeft: '0.3rem' }}>
                  {k}: {v}
                </span>
              ))}
            </span>
          ) : null}
        </dd>
        <dt>Event-loop lag (p99)</dt>
        <dd>{lag === undefined ? '—' : `${formatCount(lag * 1000, 1)} ms`}</dd>
      </dl>
    </div>
  );
}

function ReviewCard({ metrics }: { metrics: Metrics | undefined }) {
  if (!metrics) return null;
  const outcomes = metrics.byLabel('parlor_reviews_total', 'outcome');
  const fallback = outcomes.get('fallback') ?? 0;
  const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
  const inFlight = metrics.sum('parlor_reviews_in_flight');
  return (
    <div class="card">
      <h2>Review</h2>
      {total === 0 ? (
        <p class="muted">No message has been reviewed on this node{inFlight ? ` (${formatCount(inFlight)} in flight)` : ''}.</p>
      ) : (
        <dl class="facts">
          {[...outcomes].map(([k, v]) => (
            <>
              <dt key={`t-${k}`}>{k}</dt>
              <dd key={`d-${k}`}>{formatCount(v)}</dd>
            </>
          ))}
          <dt>Health</dt>
          <dd>{fallback === 0 ? <span class="pill ok">Handlers decide</span> : <span class="pill warn">{formatCount((fallback / total) * 100, 1)}% fell back</span>}</dd>
          {inFlight !== undefined ? (
            <>
              <dt>In flight</dt>
              <dd>{formatCount(inFlight)}</dd>
            </>
          ) : null}
        </dl>
      )}
    </div>
  );
}

function ChatLogCard({ metrics }: { metrics: Metrics | undefined }) {
  if (!metrics) return null;
  const statuses = metrics.samples('parlor_chat_log_delivery_status');
  const failing = statuses.filter((s) => s.value !== 1).length;
  return (
    <div class="card">
      <h2>Chat logs</h2>
      <dl class="facts">
        <dt>Delivered records</dt>
        <dd>{formatCount(metrics.sum('parlor_chat_log_records_delivered_total'))}</dd>
        <dt>Failed attempts</dt>
        <dd>{formatCount(metrics.sum('parlor_chat_log_records_failed_total'))}</dd>
        <dt>Dropped records</dt>
        <dd>{formatCount(metrics.sum('parlor_chat_log_records_dropped_total'))}</dd>
        <dt>Waiting in the spool</dt>
        <dd>{formatBytes(metrics.sum('parlor_chat_log_spool_bytes'))}</dd>
        <dt>Destinations</dt>
        <dd>
          {statuses.length === 0 ? (
            <span class="muted">None has logged yet</span>
          ) : failing === 0 ? (
            <span class="pill ok">All {statuses.length} delivering</span>
          ) : (
            <span class="pill bad">
              {failing} of {statuses.length} failing — see <a href={href('logging')}>Logging configurations</a>
            </span>
          )}
        </dd>
      </dl>
    </div>
  );
}

function MetricsToken({ rejected, onSaved }: { rejected: boolean; onSaved: () => void }) {
  const [token, setToken] = useState('');
  return (
    <form
      class="card info-box"
      onSubmit={(e) => {
        e.preventDefault();
        setMetricsToken(token.trim());
        onSaved();
      }}
    >
      <h2>Metrics need the token</h2>
      <p>
        This server protects <code>/metrics</code> with <code>PARLOR_METRICS_TOKEN</code>. Paste it to see connections, message rates and health here; it
        is kept for this tab only.
      </p>
      {rejected ? <p class="field-error">The server refused that token (HTTP 401).</p> : null}
      <TextField label="Metrics token" name="metrics-token" type="password" value={token} onInput={setToken} />
      <button type="submit" class="primary" disabled={token.trim() === ''}>
        Use token
      </button>
    </form>
  );
}
