import { countyDirInRepo, loadCounty } from '../../../shared/core/county/load';
import { requestUpload, type UploadAccessDeps } from '../../../shared/core/upload-access/request-upload';
import { issueUploadToken } from '../../../shared/core/upload-access/token';

const county = loadCounty(countyDirInRepo('lingshou')).config;
// 2022-01-05 in Shanghai: the 2021 report is being collected.
const now = new Date('2022-01-05T02:00:00Z');
const justice = issueUploadToken({ county: 'lingshou', unitId: 'justice_bureau', createdBy: 't', now, validDays: 120 });

function deps(lock: { locked: boolean; exceptions: string[] } = { locked: false, exceptions: [] }): UploadAccessDeps {
  return { county, findToken: async (id) => (id === justice.record.tokenId ? justice.record : undefined), yearLock: async () => lock, maxBytes: 1000, now: () => now };
}
const ask = (body: unknown, d = deps()) => requestUpload({ authorization: `Bearer ${justice.token}`, body }, d);

describe('requestUpload', () => {
  test('grants exactly one key in the unit folder, with the type of its extension and the size limit', async () => {
    const decision = await ask({ year: 2021, unit: 'justice_bureau', fileName: '司法局 台账.xlsx' });
    expect(decision).toMatchObject({
      status: 200,
      grant: {
        key: 'submissions/2021/justice_bureau/司法局 台账.xlsx',
        prefix: 'submissions/2021/justice_bureau/',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        maxBytes: 1000,
        expiresInSeconds: 300,
      },
    });
  });

  test.each([
    [{ year: 2021, unit: 'education_bureau', fileName: 'a.json' }, 403, 'wrong_unit'],
    [{ year: 2020, unit: 'justice_bureau', fileName: 'a.json' }, 403, 'year_not_open'],
    [{ year: 2022, unit: 'justice_bureau', fileName: 'a.json' }, 403, 'year_not_open'],
    [{ year: 2021, unit: 'justice_bureau', fileName: 'a.pdf' }, 400, 'bad_request'],
    [{ year: 2021, unit: 'justice_bureau', fileName: 'x/a.json' }, 400, 'bad_request'],
    [{ year: 2021, unit: 'justice_bureau', fileName: 'a.csv', contentType: 'text/html' }, 400, 'content_type_mismatch'],
    [{ year: '2021', unit: 'justice_bureau', fileName: 'a.json' }, 400, 'bad_request'],
    [undefined, 400, 'bad_request'],
  ])('%j → %i %s', async (body, status, error) => {
    expect(await ask(body)).toMatchObject({ status, error });
  });

  test('a locked year is closed except for units with an exception', async () => {
    const body = { year: 2021, unit: 'justice_bureau', fileName: 'a.json' };
    expect(await ask(body, deps({ locked: true, exceptions: [] }))).toMatchObject({ status: 403, error: 'year_locked' });
    expect((await ask(body, deps({ locked: true, exceptions: ['justice_bureau'] }))).status).toBe(200);
  });

  test('authentication comes before anything else: a bad token learns nothing about the request', async () => {
    const decision = await requestUpload({ authorization: undefined, body: { year: 1 } }, deps());
    expect(decision).toMatchObject({ status: 401, error: 'token_missing' });
    expect(decision.token).toBeUndefined();
  });

  test('from April the new year is collected', async () => {
    const april = { ...deps(), now: () => new Date('2022-04-02T02:00:00Z') };
    expect((await ask({ year: 2022, unit: 'justice_bureau', fileName: 'a.json' }, april)).status).toBe(200);
    expect(await ask({ year: 2021, unit: 'justice_bureau', fileName: 'a.json' }, april)).toMatchObject({ status: 403, error: 'year_not_open' });
  });
});
