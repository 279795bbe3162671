/**
 * EventBridge Scheduler's expressions, checked before deploy (county check and
 * synth both parse county.json): an invalid one is accepted by `cdk synth` and
 * fails only when CloudFormation creates the schedule, or worse, never fires.
 *   at(yyyy-mm-ddThh:mm:ss)
 *   rate(1 minute | n minutes | 1 hour | n hours | 1 day | n days)
 *   cron(minutes hours day-of-month month day-of-week year), six fields, and
 *   exactly one of day-of-month and day-of-week is "?".
 * Returns what is wrong, in Chinese then English, or undefined when valid.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const match = /^(cron|rate|at)\((.*)\)$/.exec(expression.trim());
  if (!match) return '应为 cron(…)、rate(…) 或 at(…) / expected cron(…), rate(…) or at(…)';
  const [, kind, body] = match as unknown as [string, 'cron' | 'rate' | 'at', string];
  if (kind === 'at') return atProblem(body);
  if (kind === 'rate') return rateProblem(body);
  return cronProblem(body);
}

function atProblem(body: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!m) return 'at(…) 的时间应写成 yyyy-mm-ddThh:mm:ss / at(…) takes yyyy-mm-ddThh:mm:ss';
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return `at(${body}) 不是有效的日期时间 / not a valid date and time`;
  }
  return undefined;
}

function rateProblem(body: string): string | undefined {
  const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!m) return 'rate(…) 应写成“数值 单位”，单位为 minute(s)、hour(s)、day(s) / rate(…) takes "value unit" with minute(s), hour(s) or day(s)';
  const value = Number(m[1]);
  const unit = m[2]!;
  if (value < 1) return 'rate(…) 的数值须为正整数 / the value must be a positive integer';
  if ((value === 1) !== !unit.endsWith('s')) return `rate(${body})：数值为1时单位用单数（1 day），否则用复数（2 days） / use the singular unit for 1 and the plural otherwise`;
  return undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Extra single tokens the field allows (L, W forms, #). */
  special?: RegExp;
}

const CRON_FIELDS: readonly CronField[] = [
  { name: '分钟 minutes', min: 0, max: 59 },
  { name: '小时 hours', min: 0, max: 23 },
  { name: '日 day-of-month', min: 1, max: 31, special: /^(L|LW|L-\d{1,2}|\d{1,2}W)$/ },
  { name: '月 month', min: 1, max: 12, names: MONTHS },
  { name: '星期 day-of-week', min: 1, max: 7, names: DAYS, special: /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5])$|^L$/ },
  { name: '年 year', min: 1970, max: 2199 },
];

function cronProblem(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return `cron(…) 须有6个字段（分 时 日 月 星期 年），这里有${fields.length}个 / cron(…) takes 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`;
  }
  const [, , dayOfMonth, , dayOfWeek] = fields as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return 'cron(…) 的“日”和“星期”两个字段须有且只有一个写“?” / exactly one of day-of-month and day-of-week must be "?"';
  }
  for (const [i, value] of fields.entries()) {
    const problem = cronFieldProblem(value, CRON_FIELDS[i]!);
    if (problem) return problem;
  }
  return undefined;
}

function cronFieldProblem(value: string, field: CronField): string | undefined {
  const bad = `cron(…) 的${field.name.split(' ')[0]}字段“${value}”无效（${field.min}–${field.max}${field.names ? ` 或 ${field.names[0]}–${field.names.at(-1)}` : ''}） / invalid ${field.name.split(' ')[1]} field "${value}"`;
  if (value === '?') return field.special || field.names === DAYS ? undefined : bad;
  if (field.special?.test(value.toUpperCase())) return undefined;
  for (const part of value.split(',')) {
    const [range, step, ...rest] = part.split('/');
    if (rest.length > 0 || range === undefined || range === '') return bad;
    if (step !== undefined && !/^\d+$/.test(step)) return bad;
    if (range === '*') continue;
    const ends = range.split('-');
    if (ends.length > 2) return bad;
    for (const end of ends) {
      const n = fieldNumber(end, field);
      if (n === undefined || n < field.min || n > field.max) return bad;
    }
  }
  return undefined;
}

function fieldNumber(token: string, field: CronField): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
  return index < 0 ? undefined : index + field.min;
}

/** Whether the runtime knows an IANA time zone (the functions format every local time with it). */
export function timeZoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `“${timeZone}”不是有效的时区（IANA 名称，如 Asia/Shanghai） / "${timeZone}" is not a valid IANA time zone (e.g. Asia/Shanghai)`;
  }
}
