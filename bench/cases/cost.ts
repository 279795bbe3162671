import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as z from 'zod';
import cdkJson from '../../cdk.json';
import { CountyStack } from '../../infra/county-stack';
import { countyNames } from '../../infra/names';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import type { BenchRow } from '../report';

/**
 * cost-at-rest: what one county costs a month with nobody using it, and what
 * 1,000 uploads and one aggregation add (issue 20). Reads the county's
 * synthesized prod template (every stack the county's app makes) for what
 * has a fixed monthly price: web ACLs and their rules, KMS keys, alarms,
 * secrets, log groups, user pools. Prices come from bench/cost/prices.json,
 * each with its source and status; a price nobody verified is null there and
 * named in the note rather than guessed. No free tier is applied: a province
 * runs many counties in few accounts.
 */
const PriceSchema = z.strictObject({ price: z.number().nonnegative().nullable(), status: z.enum(['aws', 'third-party', 'unverified']), source: z.string().nullable() });
const UsageSchema = z.record(z.string(), z.strictObject({ count: z.number().nonnegative(), why: z.string() }));
export const PriceTableSchema = z.strictObject({
  $comment: z.string(),
  checked: z.iso.date(),
  prices: z.array(
    z
      .strictObject({ id: z.string(), what: z.string(), unit: z.string(), global: PriceSchema, china: PriceSchema })
      .refine((p) => [p.global, p.china].every((s) => (s.price === null) === (s.status === 'unverified') && (s.status === 'unverified' || !!s.source)), 'a price has a source and a status; an unverified one has no value'),
  ),
  usage: z.strictObject({ $comment: z.string(), perUpload: UsageSchema, perAggregation: UsageSchema }),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;
export type Partition = 'global' | 'china';

export function loadPriceTable(file = path.join(__dirname, '..', 'cost', 'prices.json')): PriceTable {
  return PriceTableSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Every resource of the county's stacks as `cdk synth` makes them (prod settings; bundling off, which changes no resource). */
export function synthesizedResources(countyId = 'lingshou'): Resources[] {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  new CountyStack(app, countyNames(countyId, 'prod').stack, { county: loadCounty(countyDirInRepo(countyId)).config, stage: 'prod' });
  return app.synth().stacks.map((s) => (s.template as { Resources: Resources }).Resources);
}

/** What a county holds that is billed by the month, counted from its templates. */
export function fixedInventory(stacks: readonly Resources[]) {
  const all = stacks.flatMap((r) => Object.values(r));
  const ofType = (type: string) => all.filter((r) => r.Type === type);
  const memoryOf = (suffix: string) => {
    const fn = ofType('AWS::Lambda::Function').find((f) => String(f.Properties?.FunctionName ?? '').endsWith(suffix));
    return Number(fn?.Properties?.MemorySize ?? 128);
  };
  return {
    webAcls: ofType('AWS::WAFv2::WebACL').length,
    wafRules: ofType('AWS::WAFv2::WebACL').reduce((n, acl) => n + ((acl.Properties?.Rules as unknown[] | undefined)?.length ?? 0), 0),
    kmsKeys: ofType('AWS::KMS::Key').length,
    alarms: ofType('AWS::CloudWatch::Alarm').length,
    compositeAlarms: ofType('AWS::CloudWatch::CompositeAlarm').length,
    secrets: ofType('AWS::SecretsManager::Secret').length,
    logGroups: ofType('AWS::Logs::LogGroup').length,
    userPools: ofType('AWS::Cognito::UserPool').length,
    memoryMb: { portal: memoryOf('-portal-api'), ingest: memoryOf('-ingest'), aggregate: memoryOf('-aggregate') },
  };
}
export type Inventory = ReturnType<typeof fixedInventory>;

interface Line {
  what: string;
  priceId: string;
  quantity: number;
}

/** quantity is in the price's own unit (per month, per million, per 10,000 …). */
export function idleLines(inv: Inventory): Line[] {
  return [
    { what: `${inv.webAcls} web ACL(s)`, priceId: 'waf.webAcl', quantity: inv.webAcls },
    { what: `${inv.wafRules} WAF rule(s)`, priceId: 'waf.rule', quantity: inv.wafRules },
    { what: `${inv.kmsKeys} KMS key(s)`, priceId: 'kms.key', quantity: inv.kmsKeys },
    { what: `${inv.alarms} alarm(s)`, priceId: 'cloudwatch.alarm', quantity: inv.alarms },
    { what: `${inv.compositeAlarms} composite alarm(s)`, priceId: 'cloudwatch.compositeAlarm', quantity: inv.compositeAlarms },
    { what: `${inv.secrets} secret(s)`, priceId: 'secrets.secret', quantity: inv.secrets },
  ].filter((l) => l.quantity > 0);
}

export function usageLines(inv: Inventory, table: PriceTable, uploads: number, aggregations: number): Line[] {
  const u = Object.fromEntries(Object.entries(table.usage.perUpload).map(([k, v]) => [k, v.count * uploads]));
  const a = Object.fromEntries(Object.entries(table.usage.perAggregation).map(([k, v]) => [k, v.count * aggregations]));
  const gbSeconds = (u.portalApiMs! / 1000) * (inv.memoryMb.portal / 1024) + (u.ingestMs! / 1000) * (inv.memoryMb.ingest / 1024) + ((a.aggregateMs ?? 0) / 1000) * (inv.memoryMb.aggregate / 1024);
  return [
    { what: 'Lambda requests', priceId: 'lambda.requests', quantity: (u.portalApiRequests! + uploads + aggregations) / 1e6 },
    { what: 'Lambda GB-seconds (arm64)', priceId: 'lambda.arm.gbSecond', quantity: gbSeconds },
    { what: 'HTTP API requests', priceId: 'apigw.http.requests', quantity: u.portalApiRequests! / 1e6 },
    { what: 'WAF requests', priceId: 'waf.requests', quantity: (u.portalApiRequests! + u.staticRequests!) / 1e6 },
    { what: 'CloudFront requests', priceId: 'cloudfront.requests', quantity: (u.portalApiRequests! + u.staticRequests!) / 1e4 },
    { what: 'DynamoDB writes', priceId: 'dynamodb.ondemand.write', quantity: u.dynamoWrites! / 1e6 },
    { what: 'DynamoDB reads', priceId: 'dynamodb.ondemand.read', quantity: (u.dynamoReads! + (a.dynamoReads ?? 0)) / 1e6 },
    { what: 'S3 PUT/POST', priceId: 's3.put', quantity: (u.s3Puts! + (a.s3Puts ?? 0)) / 1e3 },
    { what: 'S3 GET', priceId: 's3.get', quantity: u.s3Gets! / 1e3 },
    { what: 'SQS requests', priceId: 'sqs.requests', quantity: u.sqsRequests! / 1e6 },
    { what: 'KMS requests', priceId: 'kms.requests', quantity: (u.kmsRequests! + (a.kmsRequests ?? 0)) / 1e4 },
  ].filter((l) => l.quantity > 0);
}

/** The sum of the priced lines, and the lines no verified price covers (never counted as zero silently). */
export function priceLines(lines: readonly Line[], table: PriceTable, partition: Partition): { total: number; parts: string[]; unpriced: string[] } {
  let total = 0;
  const parts: string[] = [];
  const unpriced: string[] = [];
  for (const line of lines) {
    const entry = table.prices.find((p) => p.id === line.priceId);
    if (!entry) throw new Error(`bench/cost/prices.json has no price ${line.priceId}`);
    const price = entry[partition].price;
    if (price === null) {
      unpriced.push(`${line.what} (${line.priceId})`);
      continue;
    }
    total += price * line.quantity;
    parts.push(`${line.what} ${amount(price * line.quantity)}`);
  }
  return { total, parts, unpriced };
}

/** Cents where there are cents; two significant digits below a cent, so a small cost does not read as nothing. */
export const amount = (n: number): string => (n === 0 || n >= 0.01 ? n.toFixed(2) : n.toPrecision(2));

export function benchCost(countyId = 'lingshou'): BenchRow {
  const table = loadPriceTable();
  const inv = fixedInventory(synthesizedResources(countyId));
  const idle = priceLines(idleLines(inv), table, 'global');
  const uploads = priceLines(usageLines(inv, table, 1000, 0), table, 'global');
  const aggregation = priceLines(usageLines(inv, table, 0, 1), table, 'global');
  const idleChina = priceLines(idleLines(inv), table, 'china');
  const money = (n: number) => `$${amount(n)}`;
  const unpricedText = (u: string[]) => (u.length ? `; not priced (no verified price): ${u.join(', ')}` : '');
  return {
    id: 'cost-at-rest',
    value: Math.round(idle.total * 100) / 100,
    unit: 'USD/mo',
    baseline: null,
    ratio: null,
    note:
      `${countyId} prod, list prices (us-east-1, no free tier, bench/cost/prices.json checked ${table.checked}). ` +
      `Idle: ${idle.parts.join(' + ')} = ${money(idle.total)}/month${unpricedText(idle.unpriced)}. ` +
      `Also held, priced by use only: ${inv.logGroups} log groups (storage ~0 GB at rest), ${inv.userPools} user pool(s) (office users within the free MAU; Cognito price unverified). ` +
      `China (cn-north-1, CNY): ${idleChina.unpriced.length ? `not priced: ${idleChina.unpriced.length} idle price(s) unverified (${idleChina.unpriced.map((u) => u.replace(/.*\((.*)\)/, '$1')).join(', ')})` : `¥${idleChina.total.toFixed(2)}/month`}. ` +
      `1,000 uploads add ${money(uploads.total)} (${uploads.parts.join(', ')}${unpricedText(uploads.unpriced)}). ` +
      `One aggregation adds ${money(aggregation.total)} (${aggregation.parts.join(', ')}${unpricedText(aggregation.unpriced)}).`,
  };
}
