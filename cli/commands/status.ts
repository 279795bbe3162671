import type { Command } from 'commander';
import { chineseDate, chineseDateTime, deadlineInstant } from '../../shared/core/county/time';
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
      const missing = rows.filter((r) => !r.currentKey);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ county: county.config.id, year, deadline: new Date(deadline).toISOString(), lock, exceptions, units: rows, missing: missing.map((m) => m.unitId) }, null, 2)}\n`);
        return;
      }
      const out: string[] = [];
      // The office reads local times in Chinese form; --json keeps ISO instants for tools.
      const local = (iso: string) => chineseDateTime(new Date(iso), county.config.timeZone);
      out.push(`${county.config.name} ${year}  截止 ${chineseDate(new Date(deadline - 1), county.config.timeZone)}  ${lock ? `已锁定（${local(lock.lockedAt)}，${lock.lockedBy}）${exceptions.length ? ` 例外：${exceptions.join(', ')}` : ''}` : '未锁定'}`);
      out.push(['单位', '状态', '当前版本', '行数', '最后上传', '最后上传结果', '逾期'].join('\t'));
      for (const r of rows.filter((r) => r.status !== 'missing')) {
        out.push([`${r.unit} (${r.unitId})`, statusText(r.status), short(r.currentVersion), r.rows ?? '-', r.lastUpload ? local(r.lastUpload) : '-', statusText(r.lastOutcome ?? '-', r.problems), r.late ? '是' : '否'].join('\t'));
      }
      out.push(`已报送 ${rows.length - missing.length}/${rows.length} 个单位；尚无有效报送 ${missing.length} 个${missing.length ? `：${missing.map((m) => m.unit).join('、')}` : ''}`);
      process.stdout.write(`${out.join('\n')}\n`);
    });
  });
}

const statusText = (status: string, problems?: number) =>
  status === 'accepted' ? '已接收' : status === 'rejected' ? `退回（${problems ?? '?'}处错误）` : status === 'superseded' ? '已被新版本替代' : status;
const short = (v?: string) => (v ? (v.length > 16 ? `${v.slice(0, 16)}…` : v) : '-');
