// The drift browser: wires state, data and keys together; every piece of logic lives in state/ and
// render/, this file only decides which view fills the body.
import { Box, useApp, useInput, useWindowSize } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DriftActions } from '../../act/actions.ts';
import { clusterRowActions } from '../../act/cluster-target.ts';
import { errorMessage, type UiClient } from '../client.ts';
import { useAnalysis } from '../hooks/use-analysis.ts';
import { useDetail } from '../hooks/use-detail.ts';
import { useDiff } from '../hooks/use-diff.ts';
import { useDriftData } from '../hooks/use-drift-data.ts';
import { useSpinner } from '../hooks/use-spinner.ts';
import { useWaivers } from '../hooks/use-waivers.ts';
import { revokeQuestion } from '../render/waiver-row.ts';
import { rowAddress, rowId } from '../render/drift-row.ts';
import { recordDetailLines, type DetailLine } from '../render/detail.ts';
import { ignoreProposalLines } from '../render/ignore.ts';
import { wrap } from '../render/text.ts';
import { applyPress } from '../state/input.ts';
import { promptLine } from '../state/prompt.ts';
import { hintBar } from '../state/keymap.ts';
import { namespaceChoices, visibleRecords } from '../state/list.ts';
import { crumbs, top } from '../state/nav.ts';
import { contextOf, initialState, type ViewFacts } from '../state/ui-state.ts';
import { HintBar, StatsBar, StatusLine, TitleBar } from './chrome.tsx';
import { WaiversView } from './waivers-view.tsx';
import { DetailView } from './detail-view.tsx';
import { HelpView } from './help-view.tsx';
import { ListView } from './list-view.tsx';
import { PickerView, namespaceLabel } from './picker-view.tsx';
import { statusLine } from './status.ts';

export interface AppProps {
  client: UiClient;
  namespace?: string;
  /** `ui --cluster NAME` (a name) or `--all-clusters` (`*`); absent: the agent's own cluster. */
  cluster?: string;
  refreshMs?: number;
  /** How often a running analysis is polled. */
  pollMs?: number;
  /** `d` and `R` (absent: the keys say they are unavailable). */
  actions?: DriftActions;
}

/** Title, statistics, status and hint lines, plus one spare so the frame never scrolls the terminal. */
const CHROME_ROWS = 5;

export function App({ client, namespace, cluster, refreshMs = 3000, pollMs = 500, actions: own }: AppProps) {
  const { exit } = useApp();
  const { columns: width, rows } = useWindowSize();
  const [state, setState] = useState(() => initialState(namespace, cluster));
  const data = useDriftData(client, state.mode, refreshMs, state.cluster);
  // Another cluster's records are shown, never acted on: diff, revert, waive and adopt act through
  // this kubeconfig and this agent, which are the agent's own cluster's, so in a cluster view each
  // refuses a row of any other cluster, naming both.
  const clusterView = state.cluster !== null;
  const actions = useMemo(
    () => (clusterView && own ? clusterRowActions(own, client, (id) => rowAddress(id, true)) : own),
    [clusterView, own, client],
  );
  const [analysis, analyze] = useAnalysis(client, pollMs, data.refresh);
  const spinner = useSpinner(analysis.phase === 'running');
  // Data the agent no longer vouches for keeps the ages it had: they must not go on counting.
  const lost = data.error !== null || data.silentFor !== null;
  const now = lost && data.updatedAt !== null ? data.updatedAt : Date.now();
  const lostText =
    data.silentFor !== null
      ? `agent lost: no answer for ${data.silentFor}s; showing data from ${clock(data.updatedAt)}, ages frozen (retrying)`
      : data.error !== null
        ? `${data.error}; showing data from ${clock(data.updatedAt)}, ages frozen`
        : null;

  const page = top(state.stack);
  const detailId = page.view === 'detail' ? page.resourceId : null;
  const rowsShown = visibleRecords(data.records ?? [], state);
  const known = detailId
    ? ((data.records ?? []).find((r) => rowId(r, clusterView) === detailId) ?? null)
    : null;
  const address = detailId === null ? null : rowAddress(detailId, clusterView);
  const detail = useDetail(client, address?.resourceId ?? null, known, refreshMs, address?.cluster ?? null);
  const bodyHeight = Math.max(3, rows - CHROME_ROWS);
  const diffPage = page.view === 'diff' ? page : null;
  const diff = useDiff(actions, diffPage?.resourceId ?? null, data.refresh, refreshMs);
  const diffLines = diffPage
    ? [
        ...(diffPage.confirm ? confirmLines(diffPage.resourceId, diff.summary, width) : []),
        ...outcomeLines(diff.notice, width),
        // An error in full (another cluster's drift names both clusters), not only the status line's cut.
        ...(diff.lines ??
          (diff.error && !diff.reverting
            ? wrap(diff.error, width).map((text) => ({ text, tone: 'high' as const }))
            : [{ text: diff.reverting ? 'reverting…' : 'loading the diff…', tone: 'dim' as const }])),
      ]
    : [];
  const [ignored, setIgnored] = useState<{ id: string; lines: DetailLine[] } | null>(null);
  const recordLines = detail.record ? recordDetailLines(detail.record, detail.history, width) : [];
  const ignoreShown = ignored && ignored.id === detailId ? ignored.lines : [];
  const detailLines = diffPage ? diffLines : [...ignoreShown, ...recordLines];
  const [waiveNotice, setWaiveNotice] = useState<{ text: string; ok: boolean } | null>(null);
  const waive = (w: { resourceId: string; for: string; reason: string }) => {
    if (!actions) return setWaiveNotice({ text: 'waive is not available here', ok: false });
    setWaiveNotice({ text: `waiving ${w.resourceId}…`, ok: true });
    actions.waive(w.resourceId, { for: w.for, reason: w.reason }).then(
      (text) => {
        setWaiveNotice({ text, ok: true });
        // The agent applies a waiver when it next analyses: ask for that now, so the row moves to :waived.
        analyze();
      },
      (err: unknown) => setWaiveNotice({ text: `waive failed: ${errorMessage(err)}`, ok: false }),
    );
  };
  const waiverList = useWaivers(client, state.overlay === 'waivers', refreshMs);
  const unwaive = (id: string) => {
    setWaiveNotice({ text: `revoking waiver ${id}…`, ok: true });
    client.revokeWaiver(id).then(
      (w) => {
        setWaiveNotice({
          text: `waiver/${w.id} revoked: its drift is active again from the next analysis`,
          ok: true,
        });
        waiverList.refresh();
        analyze();
      },
      (err: unknown) => setWaiveNotice({ text: `revoke failed: ${errorMessage(err)}`, ok: false }),
    );
  };
  const choices = namespaceChoices(data.records ?? [], state.namespace);

  const selected = rowsShown[Math.min(state.cursor, rowsShown.length - 1)];
  // What the reducer needs to know about this render's screen.
  const facts = useRef<ViewFacts>({
    listLength: 0,
    selectedId: null,
    choices: [],
    detailLength: 0,
    pageSize: 1,
  });
  facts.current = {
    listLength: rowsShown.length,
    selectedId: selected ? rowId(selected, clusterView) : null,
    choices,
    detailLength: detailLines.length,
    pageSize: page.view === 'list' ? bodyHeight - 1 : bodyHeight,
    waiverIds: (waiverList.waivers ?? []).map((w) => w.id),
  };

  const context = contextOf(state);
  // Presses can arrive faster than renders: fold them over the latest state, not the rendered one.
  const latest = useRef(state);
  latest.current = state;
  useInput((input, key) => {
    const { state: next, effects } = applyPress(latest.current, { input, ...key }, facts.current);
    latest.current = next;
    setState(next);
    for (const e of effects) {
      if (e === 'analyze') analyze();
      else if ('waive' in e) waive(e.waive);
      else if ('unwaive' in e) unwaive(e.unwaive);
      else if ('adopt' in e) diff.adopt(e.adopt);
      else if ('ignore' in e) {
        const shown = recordLines.slice(Math.max(0, latest.current.detailScroll - ignoreShown.length));
        setIgnored({
          id: e.ignore,
          lines: ignoreProposalLines(detail.record, shown, data.records ?? [], width),
        });
      } else {
        setWaiveNotice(null);
        diff.revert(e.revert, e.force);
      }
    }
  });

  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);

  const listLabel = state.overlay === 'waivers' ? 'waivers' : `${state.mode} drifts${lost ? ' (STALE)' : ''}`;
  const status = statusLine({
    filterEditing: state.filterEditing,
    filter: state.filter,
    prompt: state.prompt
      ? promptLine(state.prompt)
      : state.revoking !== null
        ? revokeQuestion(
            waiverList.waivers?.find((w) => w.id === state.revoking),
            state.revoking,
          )
        : null,
    command: state.command,
    message: state.message,
    error:
      (state.overlay === 'waivers' ? waiverList.error : null) ??
      lostText ??
      (detailId ? detail.error : null) ??
      (diffPage ? diff.error : null),
    notice: diff.reverting ? { text: 'reverting…', ok: true } : (waiveNotice ?? firstLine(diff.notice)),
    analysis,
    spinner,
    updatedAt: data.updatedAt,
    sort: state.sort,
    namespace: namespaceLabel(state.namespace),
  });

  return (
    <Box flexDirection="column" width={width}>
      <TitleBar
        crumbs={crumbs(state.stack, listLabel)}
        right={[
          state.cluster ? `cluster:${state.cluster === '*' ? 'all' : state.cluster}` : '',
          `ns:${namespaceLabel(state.namespace)}`,
          state.kind ? `kind:${state.kind}` : '',
          state.source ? `source:${state.source}` : '',
          `sort:${state.sort}`,
        ]
          .filter(Boolean)
          .join(' ')}
        width={width}
      />
      <StatsBar
        stats={data.stats}
        shown={rowsShown.length}
        total={data.records?.length ?? 0}
        mode={state.mode}
        width={width}
        now={now}
      />
      {state.overlay === 'help' ? (
        <HelpView context={page.view === 'diff' ? 'diff' : page.view} width={width} height={bodyHeight} />
      ) : state.overlay === 'waivers' ? (
        <WaiversView
          waivers={waiverList.waivers}
          cursor={state.waiverCursor}
          width={width}
          height={bodyHeight}
          now={now}
        />
      ) : state.overlay === 'picker' ? (
        <PickerView
          choices={choices}
          cursor={state.pickerCursor}
          current={state.namespace}
          width={width}
          height={bodyHeight}
        />
      ) : page.view === 'detail' || page.view === 'diff' ? (
        <DetailView lines={detailLines} scroll={state.detailScroll} height={bodyHeight} />
      ) : (
        <ListView
          rows={rowsShown}
          loaded={data.records !== null}
          cursor={Math.min(state.cursor, rowsShown.length - 1)}
          width={width}
          height={bodyHeight}
          now={now}
          sort={state.sort}
          mode={state.mode}
          withCluster={clusterView}
          emptyText={
            state.filter || state.namespace !== null || state.kind !== null || state.source !== null
              ? 'no drift matches the filter'
              : `no ${state.mode} drift`
          }
        />
      )}
      <StatusLine text={status.text} tone={status.tone} width={width} />
      <HintBar text={hintBar(context, width)} />
    </Box>
  );
}

/** The question `R` asks, with what `y` sends and takes over, wrapped (never cut). */
function confirmLines(id: string, summary: string | null, width: number): DetailLine[] {
  return [
    ...wrap(`Revert ${id} to what Git declares?`, width).map((text) => ({ text, tone: 'title' as const })),
    ...wrap(summary ? `This ${summary}.` : 'loading what the revert would change…', width).map((text) => ({
      text,
    })),
    ...wrap(
      'y = revert   F = also take over fields that did not drift (--force-conflicts)   n/esc = cancel',
      width,
    ).map((text) => ({ text, tone: 'dim' as const })),
    { text: '' },
  ];
}

/** A revert's outcome in full above the diff (a conflict lists every field); the status line has its first line. */
function outcomeLines(notice: { text: string; ok: boolean } | null, width: number): DetailLine[] {
  if (!notice) return [];
  const tone = notice.ok ? ('desired' as const) : ('high' as const);
  return [...wrap(notice.text, width).map((text) => ({ text, tone })), { text: '' }];
}

function firstLine(notice: { text: string; ok: boolean } | null): { text: string; ok: boolean } | null {
  if (!notice) return null;
  const [first = '', ...more] = notice.text.split('\n');
  return { ...notice, text: more.length > 0 ? `${first} (details above)` : first };
}

function clock(ms: number | null): string {
  return ms === null ? 'never' : new Date(ms).toISOString().slice(11, 19);
}
