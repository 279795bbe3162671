import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../shared/adapters/aws-clients';
import { loadCounty, countyDirInRepo } from '../../shared/core/county/load';
import { ledgerFieldsUsed } from '../../shared/core/report/ledger-fields';
import type { NormalizedSubmission } from '../../shared/core/submission/normalized';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import { startPipeline } from './helpers';

/**
 * What aggregation reads of a stored submission: every ledger row, each with
 * only the fields a figure reads (ledgerFieldsUsed), and everything else whole.
 */
let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline());
});
afterAll(async () => cleanup());

const stored: NormalizedSubmission = {
  schemaVersion: 1,
  county: 'lingshou',
  year: 2031,
  unitId: 'justice_bureau',
  format: 'json',
  indicators: [{ indicatorId: 'legality_review_meeting_items', value: 12, approximate: false, source: { path: 'indicators.legality_review_meeting_items' } }],
  ledgers: {
    enforcement_staff: [
      { row: 2, fields: { name: '张三', certificate_no: '13012300001', training_hours: 40 } },
      { row: 3, fields: { name: '李四', certificate_no: '13012300002', training_hours: 0 } },
      // A row without the selected field is still a row: counts need it.
      { row: 4, fields: { name: '王五', training_hours: 12 } },
    ],
    mediators: [{ row: 2, fields: { name: '赵六', full_time: true, level: '县级', phone: '0311-1234567' } }],
  },
  narratives: [{ section: 'decision_making', text: '完善重大行政决策程序。', order: 1 }],
  warnings: [],
};

describe('readSubmission with ledgerFields', () => {
  beforeAll(async () => {
    await pipeline.repo.writeSubmission(2031, 'justice_bureau', 'v1', stored);
  });

  it('reads a submission back whole without a selection', async () => {
    expect(await pipeline.repo.readSubmission(2031, 'justice_bureau', 'v1')).toEqual(stored);
  });

  it('keeps every row, in order, with only the selected fields, and the rest of the submission whole', async () => {
    const ledgerFields = new Map([['enforcement_staff', new Set(['certificate_no'])], ['mediators', new Set(['full_time', 'level'])]]);
    const read = await pipeline.repo.readSubmission(2031, 'justice_bureau', 'v1', { ledgerFields });
    expect(read.ledgers.enforcement_staff).toEqual([
      { row: 2, fields: { certificate_no: '13012300001' } },
      { row: 3, fields: { certificate_no: '13012300002' } },
      { row: 4, fields: {} },
    ]);
    expect(read.ledgers.mediators).toEqual([{ row: 2, fields: { full_time: true, level: '县级' } }]);
    const { ledgers: _a, ...rest } = read;
    const { ledgers: _b, ...restStored } = stored;
    expect(rest).toEqual(restStored);
  });

  it('refuses a stored row that is not a ledger row, as the schema would', async () => {
    await pipeline.repo.writeSubmission(2031, 'justice_bureau', 'bad', { ...stored, ledgers: { enforcement_staff: [{ row: 2, fields: { certificate_no: '1' } }] } });
    const client = createDocumentClient();
    await client.send(new PutCommand({ TableName: pipeline.names.table, Item: { pk: 'DATA#2031#justice_bureau#bad', sk: 'LED#enforcement_staff#00000001', year: 2031, ledgerId: 'enforcement_staff', row: { row: 0, fields: { certificate_no: { nested: true } } } } }));
    client.destroy();
    const ledgerFields = new Map([['enforcement_staff', new Set(['certificate_no'])]]);
    await expect(pipeline.repo.readSubmission(2031, 'justice_bureau', 'bad', { ledgerFields })).rejects.toThrow(/LED#enforcement_staff#00000001 is malformed/);
    await expect(pipeline.repo.readSubmission(2031, 'justice_bureau', 'bad')).rejects.toThrow();
  });

  it('keeps the rows of a ledger no figure reads, without fields', async () => {
    const read = await pipeline.repo.readSubmission(2031, 'justice_bureau', 'v1', { ledgerFields: new Map([['mediators', new Set(['level'])]]) });
    expect(read.ledgers.enforcement_staff).toEqual([{ row: 2, fields: {} }, { row: 3, fields: {} }, { row: 4, fields: {} }]);
  });
});

describe('ledgerFieldsUsed', () => {
  it('selects the fields Lingshou’s figures sum, filter or de-duplicate on, and nothing else', () => {
    const used = ledgerFieldsUsed(loadCounty(countyDirInRepo('lingshou')).catalogue);
    expect([...used.get('enforcement_staff')!]).toEqual(['certificate_no']);
    expect([...used.get('mediators')!].sort()).toEqual(['full_time', 'level']);
    expect(used.get('enforcement_staff')!.has('name')).toBe(false);
  });
});
