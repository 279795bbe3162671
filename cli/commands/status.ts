import type { Command } from 'commander';
import { chineseDate, deadlineInstant, chineseDateTime } from '../../shared/core/county/time';
import { addTargetOptions, TargetOptions, withTarget } from '../county-target';
import { parseYearOption } from '../options';

/** Per unit: current version, status, rows, last upload, late or not; then the units still missing. */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('status')
      .description('show each unit\'s current submission for a year, and the units still missing')
      .requiredOption('--year <year>', 'report year')
      .option('--json', 'print JSON instead of a table'),
  ).action(async (opts: TargetOptions & { year: string; json?: boolean }) => {
    const year = parseYearOption(opts.year);
    await withTarget(opts, async ({ repo, county }) => {
      const [current, latest, lock, exceptions] = await Promise.all([repo.listCurrent(year), repo.listLatest(year), repo.getLock(year), repo.listLockExceptions(year)]);
      const deadline = deadlineInstant(year, county.config.collection.deadline, county.config.timeZone);
      const rows = county.config.units.map((unit) => {
        const cur = current.find((c) => c.unitId === unit.id);
        const last = latest.find((l) => l.unitId === unit.id);
        return {
          unitId: unit.id,
          unit: unit.name,
          optional: unit.optional,
          // A unit with an accepted submission keeps it even if a later upload was rejected.
          status: cur ? 'accepted' : (last?.status ?? 'missing'),
          lastOutcome: last?.status,
          currentVersion: cur?.versionId ?? cur?.versionToken,
          currentKey: cur?.s3Key,
          rows: cur?.rowCount,
          lastUpload: last?.receivedAt,
          late: last ? Date.parse(last.receivedAt) > deadline : false,
          problems: last?.status === 'rejected' ? last.problemCount : undefined,
          errorReport: last?.status === 'rejected' ? last.errorReportKey : undefined,
        };
      });
      // Every unit is expected unless county.json marks it optional (issue 11): an optional unit is never missing.
      const expected = rows.filter((r) => !r.optional);
      const missing = expected.filter((r) => !r.currentKey);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ county: county.config.id, year, deadline: new Date(deadline).toISOString(), lock, exceptions, units: rows, missing: missing.map((m) => m.unitId) }, null, 2)}\n`);
        return;
      }
      // What the office reads: names and local times; ids and UTC stay in --json.
      const tz = county.config.timeZone;
      const when = (iso: string | undefined) => (iso ? chineseDateTime(new Date(iso), tz) : '-');
      const nameOf = (unitId: string) => county.config.units.find((u) => u.id === unitId)?.name ?? unitId;
      const out: string[] = [];
      const lockText = lock
        ? `已于${when(lock.lockedAt)}由${lock.lockedBy}锁定${lock.reason ? `（${lock.reason}）` : ''}${exceptions.length ? `；例外：${exceptions.map(nameOf).join('、')}` : ''}`
        : '未锁定';
      out.push(`${county.config.name} ${year}年度  报送截止 ${chineseDate(new Date(deadline - 1), tz)}  ${lockText}`);
      out.push(['单位', '状态', '当前报送文件', '行数', '最后上传', '最后上传结果', '逾期'].join('\t'));
      for (const r of rows.filter((r) => r.status !== 'missing')) {
        out.push([r.unit, statusText(r.status), r.currentKey ? fileOf(r.currentKey) : '-', r.rows ?? '-', when(r.lastUpload), statusText(r.lastOutcome ?? '-', r.problems), r.late ? '是' : '否'].join('\t'));
      }
      out.push(`已报送 ${expected.length - missing.length}/${expected.length} 个应报单位；尚无有效报送 ${missing.length} 个${missing.length ? `：${missing.map((m) => m.unit).join('、')}` : ''}`);
      process.stdout.write(`${out.join('\n')}\n`);
    });
  });
}

const statusText = (status: string, problems?: number) =>
  status === 'accepted' ? '已接收' : status === 'rejected' ? (problems === undefined ? '退回' : `退回（${problems}处错误）`) : status === 'superseded' ? '已被新版本替代' : status;
/** The file name the unit uploaded, not the storage key or version id. */
const fileOf = (key: string) => key.slice(key.lastIndexOf('/') + 1);
