/**
 * Prints the `county draft` measurement over test/fixtures/county-draft/ without jest:
 *   npx tsx test/e2e/county-draft-report.ts
 * Share of figures found (with their measure word and qualifier), share of the other digit strings
 * wrongly made figures, texts whose rebuilt report prints the published text, seconds per report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkCountyFolder } from '../../shared/core/county/load';
import { comparable, draftFixture, figureSegments, FIXTURES, readFixture, reportLines, scoreFigures, summary, type Measured } from './county-draft-measure';

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'county-draft-report-'));
  try {
    const results: Measured[] = [];
    for (const fixture of FIXTURES) {
      const { published, truth } = readFixture(fixture);
      const { draft, dir, seconds, report } = await draftFixture(fixture, mkdtempSync(path.join(work, 'f-')));
      const checked = checkCountyFolder(dir).problems.errors.length === 0;
      const reproduced = checked && comparable(reportLines(report, draft.has).join('\n')) === comparable(published.join('\n'));
      const segments = figureSegments(report).filter((s) => !s.missing);
      results.push({ file: fixture.file, province: fixture.province, ...scoreFigures(draft, truth, published), reproduced, computedSegments: segments.length, seconds });
    }
    process.stdout.write(summary(results).text);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
