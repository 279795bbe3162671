import { ParseContext, SubmissionBuilder } from './builder';
import { MAX_SUBMISSION_BYTES } from './limits';
import type { ParseOutcome } from './normalized';
import { problem } from './problem-codes';
import { parseCsvSubmission } from './formats/csv';
import { parseJsonSubmission } from './formats/json';
// xlsx.ts loads exceljs itself on first use, so importing it here costs a cold start nothing.
import { parseXlsxSubmission } from './formats/xlsx';
import { sniff } from './sniff';
import { unitNamedByFileName } from './normalize/units';

export type { ParseContext } from './builder';
export { MAX_SUBMISSION_BYTES } from './limits';
export { formatErrorReport, writeErrorReport } from './error-report';

/**
 * Parse one uploaded submission file into a NormalizedSubmission, or every
 * problem found in it. Steps:
 *  1. size and emptiness;
 *  2. the type by extension AND by the first bytes (an .xlsx must be a zip);
 *  3. the format's parser finds the cells; the shared builder applies every rule;
 *  4. warnings travel with an accepted submission, errors reject it.
 * Never throws for a bad file: a thrown error means a bug or a broken config.
 */
export async function parseSubmissionFile(input: { bytes: Uint8Array; fileName: string } & ParseContext): Promise<ParseOutcome> {
  const { bytes, fileName } = input;
  const context: ParseContext = { county: input.county, catalogue: input.catalogue, year: input.year, unitId: input.unitId, unitSource: input.unitSource, rowSink: input.rowSink };
  return withFileNameCheck(await parseByFormat(bytes, fileName, context), fileName, context);
}

/**
 * A file named after a unit (司法局2021.xlsx, justice_bureau-2021.xlsx) is
 * one more claim of who it is from; one that names another unit than the
 * upload is for is refused, naming both, like a cover that disagrees.
 */
function withFileNameCheck(outcome: ParseOutcome, fileName: string, context: ParseContext): ParseOutcome {
  const named = unitNamedByFileName(context.county.config, fileName);
  if (!named || named.id === context.unitId || !context.county.config.units.some((u) => u.id === context.unitId)) return outcome;
  const unit = context.county.config.units.find((u) => u.id === context.unitId)!;
  const mismatch = problem('UNIT_MISMATCH', { column: '文件名' }, `文件名“${fileName}”指向“${named.name}”，${context.unitSource ?? '报送单位'}为“${unit.name}”`, fileName);
  return { ok: false, problems: [mismatch, ...(outcome.ok ? outcome.submission.warnings : outcome.problems)] };
}

async function parseByFormat(bytes: Uint8Array, fileName: string, context: ParseContext): Promise<ParseOutcome> {
  if (bytes.length > MAX_SUBMISSION_BYTES) {
    return reject(problem('FILE_TOO_LARGE', {}, `${(bytes.length / 1048576).toFixed(1)} MiB，上限为${MAX_SUBMISSION_BYTES / 1048576} MiB；请拆分台账或删除无关工作表`));
  }
  const ext = extensionOf(fileName);
  const kind = sniff(bytes);
  if (kind === 'empty') return reject(problem('FILE_EMPTY', {}, fileName));

  switch (ext) {
    case 'json': {
      if (kind === 'zip' || kind === 'ole') return reject(problem('FILE_TYPE_MISMATCH', {}, '扩展名为.json，内容却是Excel文件'));
      if (kind === 'binary') return reject(problem('NOT_TEXT', {}, '扩展名为.json，内容却不是文本'));
      return parseJsonSubmission(bytes, new SubmissionBuilder(context, 'json'));
    }
    case 'csv': {
      if (kind === 'zip' || kind === 'ole') return reject(problem('FILE_TYPE_MISMATCH', {}, '扩展名为.csv，内容却是Excel工作簿；请直接以.xlsx上传'));
      if (kind === 'binary') return reject(problem('NOT_TEXT', {}, '扩展名为.csv，内容却不是文本'));
      return parseCsvSubmission(bytes, fileName, new SubmissionBuilder(context, 'csv'));
    }
    case 'xlsx': {
      if (kind === 'ole') return reject(problem('XLSX_LEGACY_OR_ENCRYPTED', {}, '请在Excel中“另存为”Excel工作簿（*.xlsx），并取消密码保护后再上传'));
      if (kind !== 'zip') return reject(problem('XLSX_NOT_A_ZIP', {}, `文件“${fileName}”的内容不是.xlsx格式（可能是改了扩展名的其他文件）`));
      return parseXlsxSubmission(bytes, new SubmissionBuilder(context, 'xlsx'));
    }
    case 'xls':
    case 'et':
      return reject(problem('FILE_TYPE_UNSUPPORTED', {}, '旧版.xls不受支持，请在Excel中“另存为”Excel工作簿（*.xlsx）'));
    case 'xlsm':
      return reject(problem('XLSX_MACRO_ENABLED', {}, '请另存为不含宏的Excel工作簿（*.xlsx）'));
    default:
      return reject(problem('FILE_TYPE_UNSUPPORTED', {}, `“${fileName}”；可上传.xlsx、.csv或.json`));
  }
}

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

function reject(p: ReturnType<typeof problem>): ParseOutcome {
  return { ok: false, problems: [p] };
}
