import { changeLines, compareSubmissions, type SubmissionContent } from '../../../shared/core/submission/changes';

const content = (indicators: Record<string, string>, ledgers: Record<string, number> = {}): SubmissionContent => ({
  indicators: new Map(Object.entries(indicators)),
  ledgers: new Map(Object.entries(ledgers)),
});
const names = {
  indicator: (id: string) => ({ a: { name: '甲指标', unit: '件' }, b: { name: '乙指标', unit: '册' }, c: { name: '丙指标', unit: '人' } })[id],
  ledger: (id: string) => ({ l: { name: '法律顾问名册' } })[id],
};

describe('what a later upload changes', () => {
  it('names every indicator and ledger dropped, changed and added, with its value', () => {
    const changes = compareSubmissions(content({ a: '125', b: '3000' }, { l: 2 }), content({ a: '130', c: '暂无数据' }), 'submissions/2021/u/全.json')!;
    expect(changeLines(changes, names)).toEqual({
      replaced: '全.json',
      added: ['指标“丙指标”（暂无数据）'],
      changed: ['指标“甲指标”：125 → 130'],
      dropped: ['指标“乙指标”（3000册）', '台账“法律顾问名册”（2行）'],
    });
  });

  it('is nothing when the file holds the same', () => {
    expect(compareSubmissions(content({ a: '125' }, { l: 2 }), content({ a: '125' }, { l: 2 }), 'k')).toBeUndefined();
  });

  it('keeps listing what an earlier file dropped until a later one holds it again', () => {
    const second = compareSubmissions(content({ a: '125', b: '3000' }), content({ a: '125' }), 'k/1.json')!;
    const third = compareSubmissions(content({ a: '125' }), content({ a: '125' }), 'k/2.json', second)!;
    expect(changeLines(third, names).dropped).toEqual(['指标“乙指标”（3000册）']);
    const fourth = compareSubmissions(content({ a: '125' }), content({ a: '125', b: '3000' }), 'k/3.json', third)!;
    expect(changeLines(fourth, names)).toMatchObject({ dropped: [], added: ['指标“乙指标”（3000册）'] });
  });
});
