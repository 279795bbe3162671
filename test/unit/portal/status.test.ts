import { chineseDateTime, daysLeft, submissionState, unitState } from '../../../shared/core/portal/status';

const current = { versionToken: 'v1', receivedAt: '2022-01-05T02:00:00.000Z' };

describe('a unit\'s state', () => {
  test('nothing received is 未报送; an accepted current submission is 已接收', () => {
    expect(submissionState({})).toBe('missing');
    expect(submissionState({ current, latest: { status: 'accepted', receivedAt: current.receivedAt } })).toBe('accepted');
  });

  test('a rejected upload newer than the current one is 有错误; an older rejected one is not', () => {
    expect(submissionState({ current, latest: { status: 'rejected', receivedAt: '2022-01-06T00:00:00.000Z' } })).toBe('rejected');
    expect(submissionState({ latest: { status: 'rejected', receivedAt: '2022-01-06T00:00:00.000Z' } })).toBe('rejected');
    expect(submissionState({ current, latest: { status: 'rejected', receivedAt: '2022-01-04T00:00:00.000Z' } })).toBe('accepted');
  });

  test('a return applies to the submission it reviewed, not to a newer upload', () => {
    expect(submissionState({ current, review: { decision: 'return', versionToken: 'v1', at: 'x' } })).toBe('returned');
    expect(submissionState({ current, review: { decision: 'return', versionToken: 'v0', at: 'x' } })).toBe('accepted');
    expect(submissionState({ current, review: { decision: 'pass', versionToken: 'v1', at: 'x' } })).toBe('accepted');
  });

  test('a locked year shows 已锁定 to the clerk whatever was submitted', () => {
    expect(unitState({ current, lockedForUnit: true })).toBe('locked');
    expect(unitState({ current, lockedForUnit: false })).toBe('accepted');
  });
});

describe('days left until the deadline, in the county\'s time zone', () => {
  const tz = 'Asia/Shanghai';
  test.each([
    ['2022-01-09T02:00:00Z', 1],
    ['2022-01-10T00:00:00Z', 0], // 08:00 on the deadline day
    ['2022-01-10T15:59:00Z', 0], // 23:59 on the deadline day
    ['2022-01-10T16:01:00Z', -1], // 00:01 the day after
    ['2021-12-31T16:00:00Z', 9], // midnight starting 1 January
  ])('%s → %i', (now, days) => {
    expect(daysLeft(2021, '01-10', tz, new Date(now))).toBe(days);
  });
});

test('times read as Chinese dates with the local clock', () => {
  expect(chineseDateTime('2022-01-09T02:05:00Z', 'Asia/Shanghai')).toBe('2022年1月9日 10:05');
});
