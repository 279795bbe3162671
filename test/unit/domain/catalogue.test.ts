import indicators from '../../../shared/core/catalogue/indicators.json';
import ledgers from '../../../shared/core/catalogue/ledgers.json';
import checks from '../../../shared/core/catalogue/checks.json';
import { loadCatalogue, validateCatalogue } from '../../../shared/core/catalogue/load';
import { configErrorOf } from './config-error';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
type Json = Record<string, unknown> & { id: string };
const bundled = () => ({ version: 1, indicators: clone(indicators) as Json[], ledgers: clone(ledgers) as Json[], checks: clone(checks) as Json[] });
const indexOf = (list: Json[], id: string) => list.findIndex((x) => x.id === id);


describe('bundled catalogue', () => {
  const catalogue = loadCatalogue();

  it.each([
    'reconsideration_received', 'reconsideration_closed', 'reconsideration_pending', 'reconsideration_corrected',
    'lawsuits_received', 'lawsuits_closed', 'lawsuits_lost', 'head_appearance_rate',
    'normative_documents_issued', 'normative_documents_filed', 'normative_documents_reviewed', 'major_administrative_decisions',
    'legal_advisers_engaged', 'certified_enforcement_staff', 'enforcement_training_hours', 'case_file_reviews',
    'disclosure_proactive_items', 'disclosure_requests', 'deputy_suggestions', 'cppcc_proposals', 'suggestions_and_proposals',
    'law_education_events', 'mediation_organisations', 'mediators_total', 'disputes_mediated',
  ])('has the national indicator %s', (id) => {
    expect(catalogue.indicatorById.get(id)?.id).toBe(id);
  });

  it('computes the appearance rate from the lawsuit ledger', () => {
    expect(catalogue.indicatorById.get('head_appearance_rate')!.aggregation).toEqual({ kind: 'ratio', numerator: 'lawsuits_head_appeared', denominator: 'lawsuits_received', scale: 100 });
    expect(catalogue.indicatorById.get('lawsuits_head_appeared')!.fromLedger).toEqual({ ledger: 'lawsuit_cases', op: 'count_where', where: { head_appeared: [true] } });
  });

  it('only allows approximate values where a report would print 余', () => {
    expect(catalogue.indicators.filter((d) => d.approximateAllowed && d.fromLedger && d.fromLedger.op !== 'count').map((d) => d.id)).toEqual([]);
    expect(catalogue.indicatorById.get('reconsideration_received')!.approximateAllowed).toBe(false);
  });
});

describe('catalogue cross-reference validation', () => {
  it('names the ledger a derivation points at when it does not exist', () => {
    const input = bundled();
    const i = indexOf(input.indicators, 'reconsideration_closed');
    (input.indicators[i]!.fromLedger as { ledger: string }).ledger = 'no_such_ledger';
    const err = configErrorOf(() => validateCatalogue(input));
    expect([err.file, err.field]).toEqual(['shared/core/catalogue/indicators.json', `[${i}](reconsideration_closed).fromLedger.ledger`]);
    expect(err.message).toContain('unknown ledger "no_such_ledger"');
  });

  it('names a where-column the ledger does not have', () => {
    const input = bundled();
    const i = indexOf(input.indicators, 'lawsuits_lost');
    input.indicators[i]!.fromLedger = { ledger: 'lawsuit_cases', op: 'count_where', where: { verdict: ['败诉'] } };
    const err = configErrorOf(() => validateCatalogue(input));
    expect(err.field).toBe(`[${i}](lawsuits_lost).fromLedger`);
    expect(err.message).toContain('ledger "lawsuit_cases" has no column "verdict"');
  });

  it('names a ratio operand that is not an indicator', () => {
    const input = bundled();
    const i = indexOf(input.indicators, 'head_appearance_rate');
    input.indicators[i]!.aggregation = { kind: 'ratio', numerator: 'lawsuits_head_appeared', denominator: 'lawsuits_total' };
    const err = configErrorOf(() => validateCatalogue(input));
    expect([err.file, err.field]).toEqual(['shared/core/catalogue/indicators.json', `[${i}](head_appearance_rate).aggregation`]);
    expect(err.message).toContain('unknown indicator "lawsuits_total"');
  });

  it('rejects coverage of a derived indicator', () => {
    const input = bundled();
    const i = indexOf(input.indicators, 'townships_with_legal_advisers');
    input.indicators[i]!.aggregation = { kind: 'coverage_count', of: 'legal_adviser_coverage' };
    expect(configErrorOf(() => validateCatalogue(input)).message).toContain('"legal_adviser_coverage" is itself derived');
  });

  it('names a distinct-count field the ledger does not have', () => {
    const input = bundled();
    const i = indexOf(input.indicators, 'certified_enforcement_staff');
    input.indicators[i]!.aggregation = { kind: 'distinct_count', ledger: 'enforcement_staff', field: 'badge' };
    expect(configErrorOf(() => validateCatalogue(input)).field).toBe(`[${i}](certified_enforcement_staff).aggregation.field`);
  });

  it('names a check that refers to an unknown indicator', () => {
    const input = bundled();
    const i = indexOf(input.checks, 'village_mediators_within_all');
    input.checks[i]!.greater = 'mediators_all';
    const err = configErrorOf(() => validateCatalogue(input));
    expect([err.file, err.field]).toEqual(['shared/core/catalogue/checks.json', `[${i}](village_mediators_within_all)`]);
    expect(err.message).toContain('unknown indicator "mediators_all"');
  });

  it('rejects a duplicate indicator id', () => {
    const input = bundled();
    input.indicators.push(clone(input.indicators[0]!));
    const err = configErrorOf(() => validateCatalogue(input));
    expect([err.file, err.field]).toEqual(['shared/core/catalogue/indicators.json', `[${input.indicators.length - 1}].id`]);
  });

  it('names the file and field of a schema error', () => {
    const input = bundled();
    input.indicators[2]!.unit = '12件'; // a measure word, not a number
    const err = configErrorOf(() => validateCatalogue(input));
    expect([err.file, err.field]).toEqual(['shared/core/catalogue/indicators.json', '[2].unit']);
  });
});
