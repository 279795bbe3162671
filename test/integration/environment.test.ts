import { EnvironmentError } from '../../shared/core/errors';
import { AGGREGATE_ENV, INGEST_ENV, readEnvironment } from '../../shared/adapters/environment';

describe('handler environment', () => {
  const complete = { COUNTY_ID: 'lingshou', COUNTY_CONFIG_DIR: '/var/task/county', SUBMISSIONS_BUCKET: 'b', REPORTS_BUCKET: 'r', TABLE_NAME: 't' };
  const { REPORTS_BUCKET: _reports, ...ingestEnv } = complete;
  const { SUBMISSIONS_BUCKET: _submissions, ...aggregateEnv } = complete;

  it('reads a complete environment', () => {
    expect(readEnvironment(INGEST_ENV, ingestEnv)).toEqual(ingestEnv);
    expect(readEnvironment(AGGREGATE_ENV, aggregateEnv)).toEqual(aggregateEnv);
  });

  it('names every missing variable', () => {
    const { TABLE_NAME: _t, REPORTS_BUCKET: _r, ...partial } = complete;
    expect(() => readEnvironment(AGGREGATE_ENV, partial)).toThrow(EnvironmentError);
    expect(() => readEnvironment(AGGREGATE_ENV, partial)).toThrow(/TABLE_NAME.*REPORTS_BUCKET|REPORTS_BUCKET.*TABLE_NAME/);
    // zod/mini with zod's English locale: the same words as the classic API gave.
    expect(() => readEnvironment(AGGREGATE_ENV, partial)).toThrow(/TABLE_NAME \(Invalid input: expected string, received undefined\)/);
  });

  it('fails the ingest handler at module load when a variable is missing', () => {
    const saved = { ...process.env };
    try {
      for (const name of Object.keys(complete)) delete process.env[name];
      Object.assign(process.env, { ...complete, TABLE_NAME: '' });
      jest.isolateModules(() => {
        expect(() => require('../../functions/ingest/handler')).toThrow(/TABLE_NAME/);
      });
    } finally {
      process.env = saved;
    }
  });
});
