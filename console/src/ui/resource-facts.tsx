/** The "Details" card of a room or logging configuration: what it is, its ARN and its times. */
import type { ComponentChildren } from 'preact';
import { formatTime } from './format';

interface Props {
  readonly arn: string | undefined;
  readonly createTime: Date | undefined;
  readonly updateTime: Date | undefined;
  /** Facts shown before the ARN (`<dt>`/`<dd>` pairs). */
  readonly children?: ComponentChildren;
}

export function ResourceFacts({ arn, createTime, updateTime, children }: Props) {
  return (
    <div class="card">
      <h2>Details</h2>
      <dl class="facts">
        {children}
        <dt>ARN</dt>
        <dd>
          <code>{arn}</code>
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(createTime)}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(updateTime)}</dd>
      </dl>
    </div>
  );
}
