import { deriveFromLedger, supplyingLedger, unitIndicatorValues } from '../../../shared/core/report/unit-values';
import { isComputedIndicator } from '../../../shared/core/county/plan';
import { loadCatalogue } from '../../../shared/core/catalogue/load';
import { smallCatalogue, submission } from './helpers';

const rows = (...fields: Array<Record<string, string | number | boolean | null>>) => fields.map((f, i) => ({ row: i + 2, fields: f }));

describe('deriveFromLedger', () => {
  const cases = rows({ status: '已结案', fee: 10 }, { status: '审理中', fee: '5' }, { status: '已结案', fee: null }, { status: null, fee: 'x' });

  it.each([
    [{ ledger: 'cases', op: 'count' as const }, 4],
    [{ ledger: 'cases', op: 'count_where' as const, where: { status: ['已结案'] } }, 2],
    [{ ledger: 'cases', op: 'count_where' as const, where: { status: ['已结案', '审理中'] } }, 3],
    [{ ledger: 'cases', op: 'sum' as const, field: 'fee' }, 15],
    [{ ledger: 'cases', op: 'share_where' as const, where: { status: ['审理中'] } }, 25],
  ])('%j gives %d', (derivation, expected) => {
    expect(deriveFromLedger(derivation, cases)).toBe(expected);
  });

  it('matches booleans whether the parser kept them as booleans or text', () => {
    expect(deriveFromLedger({ ledger: 'l', op: 'count_where', where: { head_appeared: [true] } }, rows({ head_appeared: true }, { head_appeared: 'true' }, { head_appeared: false }))).toBe(2);
  });

  it('has no share of an empty ledger', () => {
    expect(deriveFromLedger({ ledger: 'cases', op: 'share_where', where: { status: ['已结案'] } }, [])).toBeNull();
  });
});

describe('unitIndicatorValues', () => {
  const catalogue = smallCatalogue();

  it('takes the ledger over a typed summary that contradicts it, and reports the disagreement', () => {
    const sub = submission('office', { indicators: { cases_received: 4 }, ledgers: { cases: [{ status: '已结案' }, { status: '审理中' }, { status: '已结案' }] } }).submission;
    const { values, disagreements } = unitIndicatorValues(sub, catalogue);
    expect(values.get('cases_received')).toMatchObject({ value: 3, origin: 'ledger', location: { ledger: 'cases', rows: 3 } });
    expect(values.get('cases_closed')).toMatchObject({ value: 2, origin: 'ledger', location: { ledger: 'cases', rows: 3 } });
    expect(disagreements).toEqual([{ indicatorId: 'cases_received', summary: 4, ledger: 3, ledgerId: 'cases', rows: 3 }]);
  });

  it('does not call an approximate summary a disagreement', () => {
    const sub = submission('office', { indicators: { cases_received: { value: 3, approximate: true } }, ledgers: { cases: [{ status: '已结案' }] } }).submission;
    expect(unitIndicatorValues(sub, catalogue).disagreements).toEqual([]);
  });

  it('reads an empty ledger as zero and lists unknown indicators', () => {
    const sub = submission('office', { indicators: { mystery: 3 }, ledgers: { cases: [] } }).submission;
    const { values, unknownIndicators } = unitIndicatorValues(sub, catalogue);
    expect([values.get('cases_received')?.value, values.get('cases_pending')?.value]).toEqual([0, 0]);
    expect(unknownIndicators).toEqual(['mystery']);
  });
});

describe('which indicators units type', () => {
  const catalogue = loadCatalogue();
  it('never asks a unit for a county-level ratio or coverage', () => {
    expect(['head_appearance_rate', 'townships_with_legal_advisers', 'legal_adviser_coverage'].map((id) => isComputedIndicator(catalogue.indicatorById.get(id)!))).toEqual([true, true, true]);
    expect(isComputedIndicator(catalogue.indicatorById.get('services_fully_online')!)).toBe(false);
  });
  it('names the ledger that can stand in for a typed value', () => {
    expect(supplyingLedger(catalogue.indicatorById.get('certified_enforcement_staff')!)).toBe('enforcement_staff');
    expect(supplyingLedger(catalogue.indicatorById.get('lawsuits_lost')!)).toBe('lawsuit_cases');
    expect(supplyingLedger(catalogue.indicatorById.get('services_fully_online')!)).toBeUndefined();
  });
});
