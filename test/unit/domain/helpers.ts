import { validateCatalogue, type LoadedCatalogue } from '../../../shared/core/catalogue/load';
import type { LoadedCounty } from '../../../shared/core/county/load';
import { makeCollectionPlan } from '../../../shared/core/county/plan';
import { CountyConfigSchema, type CountyConfig } from '../../../shared/core/county/schema';
import type { CurrentSubmission } from '../../../shared/core/report/build-report';
import type { LedgerRow, NormalizedSubmission } from '../../../shared/core/submission/normalized';
import { ReportTemplateSchema, type ReportTemplate } from '../../../shared/core/template/schema';

/** A small catalogue so each test states exactly the indicators it exercises. */
export function smallCatalogue(extra: { indicators?: unknown[]; checks?: unknown[] } = {}): LoadedCatalogue {
  return validateCatalogue({
    version: 1,
    indicators: [
      { id: 'reviews', name: '合法性审查件数', unit: '件', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'sum' } },
      { id: 'staff_trained', name: '培训执法人员数', unit: '名', topic: 't', submittedBy: [{ kind: 'group', group: 'depts' }], aggregation: { kind: 'sum' }, approximateAllowed: true },
      { id: 'cases_received', name: '复议收案数', unit: '件', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'sum' }, fromLedger: { ledger: 'cases', op: 'count' } },
      { id: 'cases_closed', name: '复议结案数', unit: '件', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'sum' }, fromLedger: { ledger: 'cases', op: 'count_where', where: { status: ['已结案'] } } },
      { id: 'cases_pending', name: '复议在审数', unit: '件', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'sum' }, fromLedger: { ledger: 'cases', op: 'count_where', where: { status: ['审理中'] } } },
      { id: 'closed_rate', name: '结案率', unit: '%', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'ratio', numerator: 'cases_closed', denominator: 'cases_received' } },
      { id: 'advisers', name: '法律顾问人数', unit: '名', topic: 't', submittedBy: [{ kind: 'group', group: 'all' }], aggregation: { kind: 'sum' }, fromLedger: { ledger: 'advisers', op: 'count' } },
      { id: 'towns_with_advisers', name: '聘用法律顾问的乡镇数', unit: '个', topic: 't', submittedBy: [{ kind: 'group', group: 'towns' }], aggregation: { kind: 'coverage_count', of: 'advisers' } },
      { id: 'towns_adviser_share', name: '乡镇法律顾问覆盖率', unit: '%', topic: 't', submittedBy: [{ kind: 'group', group: 'towns' }], aggregation: { kind: 'coverage_share', of: 'advisers' } },
      { id: 'adviser_people', name: '法律顾问（去重）', unit: '名', topic: 't', submittedBy: [{ kind: 'group', group: 'all' }], aggregation: { kind: 'distinct_count', ledger: 'advisers', field: 'name' } },
      { id: 'fulltime_mediators', name: '专职调解员数', unit: '名', topic: 't', submittedBy: [{ kind: 'group', group: 'towns' }], aggregation: { kind: 'sum' } },
      { id: 'satisfaction', name: '满意率', unit: '%', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'max' } },
      ...(extra.indicators ?? []),
    ],
    ledgers: [
      {
        id: 'cases',
        name: '案件台账',
        submittedBy: [{ kind: 'role', role: 'office' }],
        columns: [
          { id: 'case_no', name: '案号', type: 'string' },
          { id: 'status', name: '状态', type: 'enum', values: ['已结案', '审理中'] },
        ],
      },
      { id: 'advisers', name: '法律顾问名册', submittedBy: [{ kind: 'group', group: 'all' }], columns: [{ id: 'name', name: '姓名', type: 'string' }] },
    ],
    checks: [
      { id: 'balance', kind: 'sum_equals', parts: ['cases_closed', 'cases_pending'], total: 'cases_received', message: '结案+在审应等于收案' },
      { id: 'rate', kind: 'range', indicator: 'satisfaction', min: 0, max: 100, message: '满意率应在0–100之间' },
      { id: 'two_each', kind: 'unit_min', indicator: 'fulltime_mediators', min: 2, message: '每个乡镇至少2名专职调解员' },
      ...(extra.checks ?? []),
    ],
  });
}

export function smallConfig(overrides: Partial<CountyConfig> = {}): CountyConfig {
  return CountyConfigSchema.parse({
    id: 'testcounty',
    name: '测试县',
    government: '测试县人民政府',
    addressees: ['中共测试县委', '县人大常委会'],
    docNumberPrefix: '测政函',
    collection: { deadline: '01-10', schedules: [{ expression: 'cron(0 18 * 1 ? *)' }] },
    units: [
      { id: 'office', name: '测试县司法局', kind: 'department', groups: ['all', 'depts'], roles: ['office'] },
      { id: 'dept_a', name: '测试县甲局', kind: 'department', groups: ['all', 'depts'] },
      { id: 'town_a', name: '测试县甲镇人民政府', kind: 'township', groups: ['all', 'towns'] },
      { id: 'town_b', name: '测试县乙镇人民政府', kind: 'township', groups: ['all', 'towns'] },
    ],
    ...overrides,
  });
}

/**
 * A loaded county over the small catalogue. Unless `collectAll` is false, every
 * indicator and ledger is collected (as if listed in catalogue.alsoCollect), so
 * a test need not print a figure to have it computed.
 */
export function countyOf(
  config: CountyConfig,
  template: unknown,
  { dir = '/counties/testcounty', catalogue = smallCatalogue(), collectAll = true }: { dir?: string; catalogue?: LoadedCatalogue; collectAll?: boolean } = {},
): LoadedCounty {
  const parsed: ReportTemplate = ReportTemplateSchema.parse(template);
  const alsoCollect = collectAll ? [...catalogue.indicatorById.keys(), ...catalogue.ledgerById.keys()] : config.catalogue.alsoCollect;
  const planConfig = { ...config, catalogue: { ...config.catalogue, alsoCollect } };
  return { dir, config, catalogue, template: () => parsed, plan: () => makeCollectionPlan(catalogue, planConfig, parsed), overrideYears: [] };
}

export function submission(
  unitId: string,
  body: {
    indicators?: Record<string, number | { value: number; approximate?: boolean; qualifier?: string }>;
    ledgers?: Record<string, Array<Record<string, string | number | boolean | null>>>;
    narratives?: Array<{ section: string; text: string; order?: number }>;
    year?: number;
  } = {},
  receivedAt = '2022-01-05T02:00:00.000Z',
): CurrentSubmission {
  const ledgers: Record<string, LedgerRow[]> = {};
  for (const [id, rows] of Object.entries(body.ledgers ?? {})) ledgers[id] = rows.map((fields, i) => ({ row: i + 1, fields }));
  const normalized: NormalizedSubmission = {
    schemaVersion: 1,
    county: 'testcounty',
    year: body.year ?? 2021,
    unitId,
    format: 'json',
    indicators: Object.entries(body.indicators ?? {}).map(([indicatorId, v]) => {
      const { value, approximate, qualifier } = typeof v === 'number' ? { value: v, approximate: false, qualifier: undefined } : { value: v.value, approximate: v.approximate ?? false, qualifier: v.qualifier };
      return { indicatorId, value, approximate, ...(qualifier ? { qualifier } : {}), source: { path: `indicators.${indicatorId}` } };
    }),
    ledgers,
    narratives: body.narratives ?? [],
    warnings: [],
  };
  return { unitId, s3Key: `submissions/2021/${unitId}/data.json`, versionId: `v-${unitId}`, receivedAt, submission: normalized };
}
