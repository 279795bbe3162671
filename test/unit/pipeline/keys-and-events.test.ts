import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AggregateEventSchema, reportYearAt } from '../../../shared/core/aggregate-event';
import { S3NotificationSchema } from '../../../shared/core/s3-notification';
import { NotASubmissionError } from '../../../shared/core/errors';
import { decodeS3EventKey, encodeS3EventKey } from '../../../shared/core/s3-event-key';
import { parseSubmissionKey, submissionKey } from '../../../shared/core/submission-key';
import { orderKey, versionToken } from '../../../shared/core/version-order';

const event = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../../../events', name), 'utf8'));

describe('S3 event keys', () => {
  it.each([
    'submissions/2021/justice_bureau/灵寿县司法局 2021年度报送.xlsx',
    'submissions/2021/a/file (2) + copy!.csv',
    "submissions/2021/a/it's 100%.json",
  ])('round-trips %s', (key) => {
    const encoded = encodeS3EventKey(key);
    expect(encoded).not.toMatch(/[ \u4e00-\u9fff]/);
    expect(decodeS3EventKey(encoded)).toBe(key);
  });

  it('encodes a space as "+" and keeps slashes, as S3 does', () => {
    expect(encodeS3EventKey('submissions/2021/u/a b.json')).toBe('submissions/2021/u/a+b.json');
  });

  it('decodes the key of the sample SQS event to the Chinese file name', () => {
    const body = JSON.parse(event('sqs-s3-object-created.json').Records[0].body);
    expect(decodeS3EventKey(body.Records[0].s3.object.key)).toBe('submissions/2021/justice_bureau/灵寿县司法局 2021年度报送.json');
  });
});

describe('submission keys', () => {
  it('reads year, unit and format from the path', () => {
    expect(parseSubmissionKey(submissionKey(2021, 'justice_bureau', '报送.XLSX'))).toEqual({
      key: 'submissions/2021/justice_bureau/报送.XLSX',
      year: 2021,
      unitId: 'justice_bureau',
      fileName: '报送.XLSX',
      format: 'xlsx',
    });
  });

  it.each([
    ['reports/2021/latest/report.json', /not under submissions/],
    ['submissions/2021/justice_bureau/', /expected submissions/],
    ['submissions/21/justice_bureau/a.json', /four digits/],
    ['submissions/2021/justice_bureau/a.pdf', /not a submission file type/],
    ['submissions/2021/x/y/a.json', /expected submissions/],
  ])('does not treat %s as a submission', (key, message) => {
    expect(() => parseSubmissionKey(key)).toThrow(NotASubmissionError);
    expect(() => parseSubmissionKey(key)).toThrow(message);
  });
});

describe('version order', () => {
  it('orders by S3 storage time, then by the left-padded sequencer', () => {
    const a = orderKey('2022-01-08T02:13:45.123Z', 'FF');
    const b = orderKey('2022-01-08T02:13:45.123Z', '100');
    const c = orderKey('2022-01-08T02:13:46.000Z', '1');
    expect([c, b, a].sort()).toEqual([a, b, c]);
  });

  it('uses the S3 version id, or content and sequencer in an unversioned bucket', () => {
    expect(versionToken('3HL4kq', 'etag', 'seq')).toBe('3HL4kq');
    expect(versionToken('null', 'etag', 'seq')).toBe('unversioned-etag-seq');
    expect(versionToken(undefined, 'etag', undefined)).toBe('unversioned-etag-no-seq');
  });
});

describe('aggregation events', () => {
  it.each(['aggregate-scheduled.json', 'aggregate-manual.json', 'eventbridge-scheduled-event.json'])('accepts the sample %s', (name) => {
    expect(AggregateEventSchema.safeParse(event(name)).success).toBe(true);
  });

  it('rejects a manual event without a year', () => {
    expect(AggregateEventSchema.safeParse({ trigger: 'manual', county: 'lingshou' }).success).toBe(false);
  });

  it.each([
    ['2022-01-09T02:00:00Z', 2021],
    ['2022-03-31T15:59:00Z', 2021], // 23:59 on 31 March in China
    ['2022-03-31T16:00:00Z', 2022], // 00:00 on 1 April in China
    ['2021-12-20T02:00:00Z', 2021],
  ])('a scheduled run at %s works on the %s report', (at, year) => {
    expect(reportYearAt(new Date(at), 'Asia/Shanghai')).toBe(year);
  });
});

describe('S3 notification schema (ours, field for field as Powertools S3Schema)', () => {
  const notification = () => JSON.parse(event('sqs-s3-object-created.json').Records[0].body);

  it('reads the notification inside the SQS fixture', () => {
    const parsed = S3NotificationSchema.parse(notification());
    expect(parsed.Records[0]!.eventName).toMatch(/^ObjectCreated/);
    expect(parsed.Records[0]!.s3.object.key).toContain('submissions/');
  });

  it('refuses what Powertools refuses: no records, another source, a bad event time', () => {
    expect(S3NotificationSchema.safeParse({ Records: [] }).success).toBe(false);
    const wrongSource = notification();
    wrongSource.Records[0].eventSource = 'aws:sqs';
    expect(S3NotificationSchema.safeParse(wrongSource).success).toBe(false);
    const badTime = notification();
    badTime.Records[0].eventTime = 'yesterday';
    expect(S3NotificationSchema.safeParse(badTime).success).toBe(false);
  });

  it('gives zod’s English messages, as the classic API does', () => {
    const result = AggregateEventSchema.safeParse({ trigger: 'manual', county: '', year: 2021 });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error!.issues)).toContain('Too small: expected string to have >=1 characters');
  });
});
