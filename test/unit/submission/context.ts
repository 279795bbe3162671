import { loadCatalogue } from '../../../shared/core/catalogue/load';
import { countyDirInRepo, loadCounty } from '../../../shared/core/county/load';
import { parseSubmissionFile } from '../../../shared/core/submission/parse';
import type { ParseOutcome } from '../../../shared/core/submission/normalized';
import type { SubmissionProblem } from '../../../shared/core/submission/problems';

/** The real Lingshou config and catalogue: tests exercise the shipped data, not a copy. */
export const county = loadCounty(countyDirInRepo('lingshou'));
export const catalogue = county.catalogue;

export function parse(bytes: Uint8Array | string, fileName: string, unitId = 'justice_bureau', year = 2021): Promise<ParseOutcome> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return parseSubmissionFile({ bytes: data, fileName, county, catalogue, year, unitId });
}

export function errorsOf(outcome: ParseOutcome): SubmissionProblem[] {
  return outcome.ok ? [] : outcome.problems.filter((p) => p.severity === 'error');
}

export function warningsOf(outcome: ParseOutcome): SubmissionProblem[] {
  return outcome.ok ? outcome.submission.warnings : outcome.problems.filter((p) => p.severity === 'warning');
}

export function jsonFile(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    $schema: 'yearly-report/submission-file@1',
    county: 'lingshou',
    year: 2021,
    unit: 'justice_bureau',
    ...overrides,
  });
}
