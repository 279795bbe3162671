/** Dates and deadlines in a county's own time zone. */

/** The zone of every shipped county, and of a report that does not name its own. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * The end of the deadline day (month-day of the year after the report year)
 * in the county's time zone, as epoch ms: anything received on the day itself
 * is on time.
 */
export function deadlineInstant(year: number, monthDay: string, timeZone: string): number {
  const [month, day] = monthDay.split('-').map(Number) as [number, number];
  const nextMidnightLocalAsUtc = Date.UTC(year + 1, month - 1, day + 1);
  const offset = zoneOffsetMs(nextMidnightLocalAsUtc, timeZone);
  // Re-evaluate at the corrected instant so a DST switch on the day itself is honoured.
  return nextMidnightLocalAsUtc - zoneOffsetMs(nextMidnightLocalAsUtc - offset, timeZone);
}

function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** "2022年1月14日" in the county's time zone. */
export function chineseDate(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(date).map((p) => [p.type, p.value]),
  );
  return `${parts.year}年${parts.month}月${parts.day}日`;
}

/** "2022年1月9日 10:00" in the county's time zone: how a time reads in anything a clerk or office reads. */
export function chineseDateTime(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}
