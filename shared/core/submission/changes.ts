import '../zod-mini-locale';
import * as z from 'zod/mini';
import type { NormalizedSubmission } from './normalized';

/**
 * What a later accepted upload changed against the unit's submission it
 * replaced. A later file replaces the unit's whole submission (FORMAT.md,
 * "A later upload"): an indicator or ledger it does not hold is no longer in
 * the report. So ingest records, on the new version, every indicator and
 * ledger added, changed and dropped, and the clerk's outcome (CLI and portal)
 * and the office's 报送情况.docx say them by name.
 *
 * A dropped item stays listed on later versions until a file holds it again:
 * a third upload that leaves it out as well does not make it silently gone.
 */
const Item = z.object({ id: z.string(), value: z.string() });
const Change = z.object({ id: z.string(), from: z.string(), to: z.string() });

export const SubmissionChangesSchema = z.object({
  /** The file this version replaced. */
  replacedKey: z.string(),
  indicators: z.object({ added: z.array(Item), changed: z.array(Change), dropped: z.array(Item) }),
  /** A ledger's value is its row count. */
  ledgers: z.object({ added: z.array(Item), changed: z.array(Change), dropped: z.array(Item) }),
});
export type SubmissionChanges = z.infer<typeof SubmissionChangesSchema>;

/** Just what the comparison reads: ledgers as row counts, so the replaced version's rows need not be read. */
export interface SubmissionContent {
  indicators: ReadonlyMap<string, string>;
  ledgers: ReadonlyMap<string, number>;
}

/** An indicator's value as the clerk wrote it: "近300", "1000余", "暂无数据", "517". */
export function indicatorValueText(v: NormalizedSubmission['indicators'][number]): string {
  if (v.raw !== undefined) return v.raw;
  const q = v.qualifier;
  if (!q) return String(v.value);
  return /^(近|约|不足)$/.test(q) ? `${q}${v.value}` : `${v.value}${q}`;
}

export function contentOf(submission: Pick<NormalizedSubmission, 'indicators' | 'ledgers' | 'noData'>): SubmissionContent {
  const indicators = new Map<string, string>();
  for (const v of submission.indicators) indicators.set(v.indicatorId, indicatorValueText(v));
  for (const n of submission.noData ?? []) indicators.set(n.indicatorId, '暂无数据');
  return { indicators, ledgers: new Map(Object.entries(submission.ledgers).map(([id, rows]) => [id, rows.length])) };
}

/**
 * The changes from `previous` (the unit's current submission, and what its
 * version recorded as dropped) to `next`. Undefined when nothing changed and
 * nothing is still missing.
 */
export function compareSubmissions(
  previous: SubmissionContent,
  next: SubmissionContent,
  replacedKey: string,
  stillDropped?: SubmissionChanges,
): SubmissionChanges | undefined {
  const diff = <T extends string | number>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>, carried: readonly { id: string; value: string }[]) => {
    const added: { id: string; value: string }[] = [];
    const changed: { id: string; from: string; to: string }[] = [];
    const dropped: { id: string; value: string }[] = [];
    for (const [id, value] of after) {
      const old = before.get(id);
      if (old === undefined) added.push({ id, value: String(value) });
      else if (old !== value) changed.push({ id, from: String(old), to: String(value) });
    }
    for (const [id, value] of before) if (!after.has(id)) dropped.push({ id, value: String(value) });
    for (const item of carried) if (!after.has(item.id) && !before.has(item.id)) dropped.push(item);
    return { added, changed, dropped };
  };
  const changes: SubmissionChanges = {
    replacedKey,
    indicators: diff(previous.indicators, next.indicators, stillDropped?.indicators.dropped ?? []),
    ledgers: diff(previous.ledgers, next.ledgers, stillDropped?.ledgers.dropped ?? []),
  };
  const any = (g: SubmissionChanges['indicators']) => g.added.length + g.changed.length + g.dropped.length > 0;
  return any(changes.indicators) || any(changes.ledgers) ? changes : undefined;
}

export interface ChangeNames {
  indicator: (id: string) => { name: string; unit: string } | undefined;
  ledger: (id: string) => { name: string } | undefined;
}

/** The changes as people read them, by indicator and ledger name. */
export interface ChangeLines {
  /** The replaced file's name. */
  replaced: string;
  added: string[];
  changed: string[];
  dropped: string[];
}

export function changeLines(changes: SubmissionChanges, names: ChangeNames): ChangeLines {
  const figure = (id: string, value: string) => {
    const def = names.indicator(id);
    const unit = def && /\d/.test(value) ? def.unit : '';
    return `指标“${def?.name ?? id}”（${value}${value === '暂无数据' ? '' : unit}）`;
  };
  const ledger = (id: string, rows: string) => `台账“${names.ledger(id)?.name ?? id}”（${rows}行）`;
  const { indicators: i, ledgers: l } = changes;
  return {
    replaced: changes.replacedKey.slice(changes.replacedKey.lastIndexOf('/') + 1),
    added: [...i.added.map((a) => figure(a.id, a.value)), ...l.added.map((a) => ledger(a.id, a.value))],
    changed: [
      ...i.changed.map((c) => `指标“${names.indicator(c.id)?.name ?? c.id}”：${c.from} → ${c.to}`),
      ...l.changed.map((c) => `台账“${names.ledger(c.id)?.name ?? c.id}”：${c.from}行 → ${c.to}行`),
    ],
    dropped: [...i.dropped.map((d) => figure(d.id, d.value)), ...l.dropped.map((d) => ledger(d.id, d.value))],
  };
}

/** The catalogue's names, for changeLines. */
export function catalogueNames(catalogue: {
  indicatorById: ReadonlyMap<string, { name: string; unit?: string }>;
  ledgerById: ReadonlyMap<string, { name: string }>;
}): ChangeNames {
  return {
    indicator: (id) => {
      const def = catalogue.indicatorById.get(id);
      return def ? { name: def.name, unit: def.unit ?? '' } : undefined;
    },
    ledger: (id) => catalogue.ledgerById.get(id),
  };
}

/** One paragraph for the office and a terminal: "替换了 a.json：不再包含 指标“…”（3000册）、…；新增 …；改动 …。" */
export function changeSummary(lines: ChangeLines): string {
  const parts = [
    ...(lines.dropped.length ? [`不再包含${lines.dropped.length}项：${lines.dropped.join('、')}`] : []),
    ...(lines.changed.length ? [`改动${lines.changed.length}项：${lines.changed.join('、')}`] : []),
    ...(lines.added.length ? [`新增${lines.added.length}项：${lines.added.join('、')}`] : []),
  ];
  return `本文件替换了此前的“${lines.replaced}”${parts.length ? `，${parts.join('；')}` : ''}。`;
}
