import { scheduleExpressionProblem, timeZoneProblem } from '../../../shared/core/county/schedule-expression';

/** EventBridge Scheduler's expression forms, checked before deploy (county check and synth). */
describe('scheduleExpressionProblem', () => {
  test.each([
    'cron(0 18 * 12 ? *)',
    'cron(0 18 1-10 1 ? *)',
    'cron(0 9 11 1 ? *)',
    'cron(0/15 8-17 ? * MON-FRI *)',
    'cron(30 9 L * ? 2027)',
    'cron(0 10 ? * 6#3 *)',
    'cron(0 0 15W * ? *)',
    'cron(5,35 14 * JAN,DEC ? 2026-2030)',
    'rate(1 day)',
    'rate(15 minutes)',
    'at(2027-01-11T09:00:00)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  test.each([
    ['cron(0 18 * 12 * *)', /“日”和“星期”.*exactly one of day-of-month and day-of-week/],
    ['cron(0 18 ? 12 ? *)', /exactly one/],
    ['cron(0 18 * 12 ?)', /6个字段.*found 5/],
    ['cron(0 18 * * 12 ? *)', /found 7/],
    ['cron(60 18 * 12 ? *)', /分钟字段“60”无效.*invalid minutes field/],
    ['cron(0 24 * 12 ? *)', /hours/],
    ['cron(0 18 32 12 ? *)', /day-of-month/],
    ['cron(0 18 * 13 ? *)', /month/],
    ['cron(0 18 ? * FUNDAY *)', /day-of-week/],
    ['cron(0 18 * 12 ? 1969)', /year/],
    ['cron(0 18 * 12/x ? *)', /month/],
    ['rate(1 days)', /单数/],
    ['rate(2 day)', /plural/],
    ['rate(0 minutes)', /positive/],
    ['rate(5 weeks)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['at(2027-02-30T09:00:00)', /not a valid date/],
    ['at(2027-01-11 09:00)', /yyyy-mm-ddThh:mm:ss/],
    ['every day at 18:00', /expected cron/],
  ])('refuses %s, saying why in Chinese and English', (expression, why) => {
    expect(scheduleExpressionProblem(expression)).toMatch(why);
  });
});

describe('timeZoneProblem', () => {
  test.each(['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'UTC'])('accepts %s', (zone) => expect(timeZoneProblem(zone)).toBeUndefined());
  test.each(['Asia/Shanghia', 'Beijing', '+08:00', ''])('refuses %j', (zone) => expect(timeZoneProblem(zone)).toMatch(/不是有效的时区.*not a valid IANA time zone/));
});
