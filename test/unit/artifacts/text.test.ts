import { printableText } from '../../../shared/core/artifacts/text';

describe('printableText', () => {
  it.each([
    ['plain Chinese stays as it is', '2021年共收行政复议案件11件。', '2021年共收行政复议案件11件。'],
    ['a line break inside a cell joins the prose', '一是认真学习；\r\n　　二是加强领导。', '一是认真学习；二是加强领导。'],
    ["Word's vertical tab joins too", '第一句。\u000B第二句。', '第一句。第二句。'],
    ['a tab becomes a space', 'A\tB', 'A B'],
    ['control characters XML forbids are dropped', 'x\u0000y\u0008z\u001F\uFFFE', 'xyz'],
    ['a lone surrogate is dropped, a pair kept', 'a\uD800b😀', 'ab😀'],
  ])('%s', (_, input, expected) => {
    expect(printableText(input)).toBe(expected);
  });
});
