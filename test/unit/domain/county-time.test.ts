import { chineseDate, chineseDateTime } from '../../../shared/core/county/time';

describe('times in the county time zone', () => {
  it('shows a lock time as a clerk in China reads it', () => {
    expect(chineseDateTime(new Date('2022-01-10T16:05:00Z'), 'Asia/Shanghai')).toBe('2022年1月11日 00:05');
  });

  it('writes the report date the Chinese way, on the county\'s calendar day', () => {
    expect(chineseDate(new Date('2022-01-13T17:00:00Z'), 'Asia/Shanghai')).toBe('2022年1月14日');
  });
});

describe('chineseDateTime', () => {
  it('reads an instant as the clerk does: local date in Chinese, 24-hour time', () => {
    expect(chineseDateTime(new Date('2022-01-09T02:00:00.000Z'), 'Asia/Shanghai')).toBe('2022年1月9日 10:00');
    expect(chineseDateTime(new Date('2022-01-10T16:30:00.000Z'), 'Asia/Shanghai')).toBe('2022年1月11日 00:30');
    expect(chineseDateTime(new Date('2022-01-10T16:30:00.000Z'), 'Asia/Urumqi')).toBe('2022年1月10日 22:30');
  });
});
