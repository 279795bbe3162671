import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { STSClient } from '@aws-sdk/client-sts';
import { createS3Client } from '../../shared/adapters/aws-clients';
import { awsCaller } from '../../shared/adapters/operator-identity';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { loadCatalogue } from '../../shared/core/catalogue/load';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import type { LockEvent } from '../../shared/core/lock-history';
import { formatErrorReport, MAX_SUBMISSION_BYTES, parseSubmissionFile } from '../../shared/core/submission/parse';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import type { S3EventRecordLike } from '../../shared/local/s3-event-delivery';
import { IngestDeps, ingestObject } from '../../shared/usecases/ingest-object';
import type { ObjectVersionRef } from '../../shared/usecases/ports';
import { replayYear } from '../../shared/usecases/replay-year';
import { startPipeline, submissionFile } from './helpers';

/**
 * Issue 14, lock history: decisions are appended, never overwritten; an
 * upload is judged by the history as it stood when S3 received it (in ingest
 * and in replay); exceptions end with their lock and can be revoked; replay
 * keeps the audit trail and the uploaders.
 */
let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline());
});
afterAll(async () => cleanup());

const county = loadCounty(countyDirInRepo('lingshou'));
const deps = (): IngestDeps => ({ county, catalogue: loadCatalogue(), objects: new S3ObjectStore(createS3Client()), repo: pipeline.repo, parse: parseSubmissionFile, formatErrorReport, maxBytes: MAX_SUBMISSION_BYTES, now: () => new Date() });
const by = { principal: 'arn:aws:sts::123456789012:assumed-role/office/alice', source: 'aws-sts' as const };
const event = (kind: LockEvent['kind'], at: string, unitId?: string): LockEvent => ({ year: 2021, kind, at, id: `${kind}-${at}-${unitId ?? ''}`, by, ...(unitId ? { unitId } : {}) });
const refOf = (r: S3EventRecordLike, eventTime: string, principal?: string): ObjectVersionRef => ({ bucket: r.s3.bucket.name, key: r.s3.object.key, eTag: r.s3.object.eTag, sequencer: r.s3.object.sequencer, versionId: r.s3.object.versionId, eventTime, ...(principal ? { principal } : {}) });

describe('the lock history', () => {
  it('is append-only: an event cannot be written over', async () => {
    const e = event('lock', '2022-01-20T00:00:00.000Z');
    await pipeline.repo.appendLockEvent({ ...e, year: 2019 });
    await expect(pipeline.repo.appendLockEvent({ ...e, year: 2019, reason: 'rewritten' })).rejects.toThrow();
    expect(await pipeline.repo.listLockEvents(2019)).toEqual([{ ...e, year: 2019 }]);
  });

  it('judges each upload by the lock as it stood at S3 receipt, in ingest and again in replay, which keeps the audit trail', async () => {
    // 2021: locked on the 20th, an exception for the market bureau on the 21st, revoked on the 22nd, unlocked on the 25th.
    for (const e of [
      event('lock', '2022-01-20T00:00:00.000Z'),
      event('exception', '2022-01-21T00:00:00.000Z', 'market_regulation'),
      event('revoke', '2022-01-22T00:00:00.000Z', 'market_regulation'),
      event('unlock', '2022-01-25T00:00:00.000Z'),
    ]) await pipeline.repo.appendLockEvent(e);

    const put = async (unitId: string, unitName: string, fileName: string, value: number) => pipeline.put({ year: 2021, unitId, fileName, bytes: submissionFile(unitName, { legal_advisers_engaged: value }) });
    const uploads = [
      // received before the lock, delivered late (after the unlock): accepted
      { ref: refOf(await put('civil_affairs', '民政局', '民政.json', 1), '2022-01-19T09:00:00.000Z', 'AIDA-CIVIL'), expected: 'accepted' },
      // received while locked, processed after the unlock (a delayed redelivery): still refused
      { ref: refOf(await put('health_commission', '卫健局', '卫健.json', 2), '2022-01-20T09:00:00.000Z', 'AIDA-HEALTH'), expected: 'rejected' },
      // received during the market bureau's exception: accepted; after its revocation: refused
      { ref: refOf(await put('market_regulation', '市场监管局', '第一版.json', 3), '2022-01-21T09:00:00.000Z', 'AIDA-MARKET'), expected: 'accepted' },
      { ref: refOf(await put('market_regulation', '市场监管局', '第二版.json', 4), '2022-01-22T09:00:00.000Z', 'AIDA-MARKET'), expected: 'rejected' },
      // received after the unlock: accepted
      { ref: refOf(await put('petition_bureau', '信访局', '信访.json', 5), '2022-01-26T09:00:00.000Z', 'AIDA-PETITION'), expected: 'accepted' },
    ];
    for (const u of uploads) expect({ key: u.ref.key, kind: (await ingestObject(u.ref, deps())).kind }).toEqual({ key: u.ref.key, kind: u.expected });

    const auditBefore = await pipeline.repo.listAudit(2021);
    const events = await pipeline.repo.listLockEvents(2021);
    // The emulator lists versions with the time they were stored (today, in whole seconds), not the receipt times above:
    // replay takes each version's receipt time back from the audit trail, so it judges every upload as ingest did.
    const replayed = await replayYear(2021, pipeline.names.submissionsBucket, deps());
    expect(replayed.outcomes).toEqual({ accepted: 3, rejected: 2, superseded: 0, duplicate: 0, ignored: 0 });
    const auditAfter = await pipeline.repo.listAudit(2021);
    for (const entry of auditBefore) expect(auditAfter).toContainEqual(entry);
    expect(await pipeline.repo.listLockEvents(2021)).toEqual(events);
    const civil = uploads[0]!.ref;
    const version = (await pipeline.repo.listLatest(2021)).find((l) => l.unitId === 'civil_affairs');
    expect(version?.principal).toBe('AIDA-CIVIL');
    expect(civil.principal).toBe('AIDA-CIVIL');
  });
});

describe('the caller in AWS', () => {
  it("is STS's ARN, at the time of STS's Date header (a real SDK client against an in-process STS)", async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/xml', date: 'Tue, 01 Dec 2026 08:00:05 GMT' });
        res.end(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${by.principal}</Arn><UserId>AROAEXAMPLE:alice</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new STSClient({ region: 'cn-north-1', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      expect(await awsCaller(client)).toEqual({ by, at: '2026-12-01T08:00:05.000Z' });
    } finally {
      server.close();
    }
  });
});
