import { describeActor, LockEvent, lockStateAt } from '../../../shared/core/lock-history';

const by = { principal: 'arn:aws:sts::123456789012:assumed-role/office/alice', source: 'aws-sts' as const };
const ev = (kind: LockEvent['kind'], at: string, unitId?: string): LockEvent => ({ year: 2021, kind, at: `2022-01-${at}Z`, id: `${kind}-${at}`, by, ...(unitId ? { unitId } : {}) });

describe('lock state from the history, at an instant', () => {
  const history = [
    ev('lock', '10T00:00:00.000'),
    ev('exception', '11T00:00:00.000', 'market_regulation'),
    ev('revoke', '12T00:00:00.000', 'market_regulation'),
    ev('exception', '13T00:00:00.000', 'justice_bureau'),
    ev('unlock', '14T00:00:00.000'),
    ev('lock', '15T00:00:00.000'),
  ];
  it.each([
    ['before any lock', '09T23:59:59.999', false, []],
    ['at the lock', '10T00:00:00.000', true, []],
    ['with an exception in force', '11T12:00:00.000', true, ['market_regulation']],
    ['after the exception was revoked', '12T12:00:00.000', true, []],
    ['with another exception', '13T12:00:00.000', true, ['justice_bureau']],
    ['after unlock --all', '14T12:00:00.000', false, []],
    ['under a new lock: no exception survives it', '15T12:00:00.000', true, []],
  ])('%s', (_label, at, locked, exceptions) => {
    const state = lockStateAt([...history].reverse(), `2022-01-${at}Z`);
    expect({ locked: state.locked !== undefined, exceptions: [...state.exceptions] }).toEqual({ locked, exceptions });
  });

  it('says whether the identity was verified by AWS', () => {
    expect(describeActor(by)).toBe(by.principal);
    expect(describeActor({ principal: 'zhangsan', source: 'local-os' })).toBe('zhangsan（本机用户，未经AWS验证）');
  });
});
