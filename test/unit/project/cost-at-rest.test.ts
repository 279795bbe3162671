import { amount, fixedInventory, idleLines, loadPriceTable, priceLines, PriceTableSchema, usageLines, type PriceTable } from '../../../bench/cases/cost';

/** The bench row cost-at-rest (bench/cases/cost.ts): its price table and its arithmetic. */
const resources = {
  Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{}, {}, {}] } },
  Key: { Type: 'AWS::KMS::Key' },
  A1: { Type: 'AWS::CloudWatch::Alarm' },
  A2: { Type: 'AWS::CloudWatch::Alarm' },
  Secret: { Type: 'AWS::SecretsManager::Secret' },
  Logs: { Type: 'AWS::Logs::LogGroup' },
  Ingest: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'yearly-report-x-prod-ingest', MemorySize: 2048 } },
};

describe('the price table (bench/cost/prices.json)', () => {
  const table = loadPriceTable();

  test('every price names its source and status; an unverified one has no value', () => {
    expect(table.prices.length).toBeGreaterThan(10);
    for (const p of table.prices) for (const side of [p.global, p.china]) expect(side.price === null ? side.status : side.source).toBeTruthy();
    const bad: PriceTable = JSON.parse(JSON.stringify(table));
    bad.prices[0]!.global.source = null;
    expect(PriceTableSchema.safeParse(bad).success).toBe(false);
    bad.prices[0]!.global = { price: 5, status: 'unverified', source: null };
    expect(PriceTableSchema.safeParse(bad).success).toBe(false);
  });

  test('every line the row prices has an entry', () => {
    const inv = fixedInventory([resources]);
    for (const line of [...idleLines(inv), ...usageLines(inv, table, 1000, 1)]) expect(table.prices.map((p) => p.id)).toContain(line.priceId);
  });
});

describe('the arithmetic', () => {
  const prices = (over: Record<string, number | null>): PriceTable => {
    const table = loadPriceTable();
    return { ...table, prices: table.prices.map((p) => (p.id in over ? { ...p, global: { price: over[p.id]!, status: over[p.id] === null ? 'unverified' : 'aws', source: over[p.id] === null ? null : 'test' } } : p)) };
  };

  test('counts what the templates hold and prices it by the month', () => {
    const inv = fixedInventory([resources, { Key2: { Type: 'AWS::KMS::Key' } }]);
    expect(inv).toMatchObject({ webAcls: 1, wafRules: 3, kmsKeys: 2, alarms: 2, secrets: 1, logGroups: 1 });
    expect(inv.memoryMb.ingest).toBe(2048);
    const idle = priceLines(idleLines(inv), prices({ 'waf.webAcl': 5, 'waf.rule': 1, 'kms.key': 1, 'cloudwatch.alarm': 0.1, 'secrets.secret': 0.4 }), 'global');
    expect(idle.total).toBeCloseTo(5 + 3 + 2 + 0.2 + 0.4, 10);
    expect(idle.unpriced).toEqual([]);
  });

  test('a line without a verified price is named, never counted as zero silently', () => {
    const idle = priceLines(idleLines(fixedInventory([resources])), prices({ 'waf.webAcl': null }), 'global');
    expect(idle.unpriced).toEqual(['1 web ACL(s) (waf.webAcl)']);
    expect(idle.parts.join()).not.toContain('web ACL');
  });

  test('usage scales with the uploads, and ingest time with its memory', () => {
    const table = prices({ 'lambda.arm.gbSecond': 1 });
    const gbs = (n: number) => usageLines(fixedInventory([resources]), table, n, 0).find((l) => l.priceId === 'lambda.arm.gbSecond')!.quantity;
    expect(gbs(2000)).toBeCloseTo(2 * gbs(1000), 10);
    const ingestOnly = (table.usage.perUpload.ingestMs!.count / 1000) * 2 * 1000;
    expect(gbs(1000)).toBeGreaterThan(ingestOnly);
  });

  test('small amounts keep two significant digits', () => {
    expect([amount(10), amount(0.14), amount(0.0004321), amount(0)]).toEqual(['10.00', '0.14', '0.00043', '0.00']);
  });
});
