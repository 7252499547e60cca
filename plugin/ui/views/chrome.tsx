// The frame around every view: breadcrumbs, the statistics header, the status line and the hint bar.
// Each is exactly one line so the layout holds at 24 rows.
import { Text } from 'ink';
import type { Statistics } from '../../../shared/types.ts';
import { sparkline } from '../render/sparkline.ts';
import { age } from '../../output/age.ts';
import { fit, truncate } from '../render/text.ts';

export function TitleBar(props: { crumbs: string[]; right: string; width: number }) {
  const right = truncate(props.right, Math.max(0, Math.floor(props.width / 2)));
  const left = fit(`DriftGuard ▸ ${props.crumbs.join(' ▸ ')}`, Math.max(0, props.width - right.length - 1));
  return (
    <Text wrap="truncate">
      <Text bold color="cyan">
        {left}
      </Text>{' '}
      <Text color="gray">{right}</Text>
    </Text>
  );
}

export function StatsBar(props: {
  stats: Statistics | null;
  shown: number;
  total: number;
  mode: string;
  width: number;
  now: number;
}) {
  const { stats, width } = props;
  const counts = `${props.mode} ${props.shown}/${props.total}`;
  if (!stats) return <Text wrap="truncate">{truncate(`${counts}  statistics loading…`, width)}</Text>;
  const last = stats.last_analysis
    ? `last analysis ${age(stats.last_analysis.finished_at, props.now)} ago (${stats.last_analysis.resources} res)`
    : 'no analysis yet';
  const text = `${counts}  active ${stats.active_drifts} resolved ${stats.resolved_drifts}  ${last}`;
  const room = width - text.length - 2;
  const spark =
    room >= 4
      ? sparkline(
          stats.trend.map((t) => t.active),
          Math.min(room, 30),
        )
      : '';
  return (
    <Text wrap="truncate">
      {truncate(text, width)}
      {spark ? <Text color="magenta">{'  ' + spark}</Text> : null}
    </Text>
  );
}

export type StatusTone = 'error' | 'ok' | 'info';

export function StatusLine(props: { text: string; tone: StatusTone; width: number }) {
  const color = props.tone === 'error' ? 'red' : props.tone === 'ok' ? 'green' : 'gray';
  return (
    <Text color={color} wrap="truncate">
      {fit(props.text, props.width)}
    </Text>
  );
}

export function HintBar(props: { text: string }) {
  return (
    <Text inverse wrap="truncate">
      {props.text}
    </Text>
  );
}
