/**
 * How many of a report's figures have a value: one wording for the demo and
 * aggregate summaries, so the two can never count differently. A partial
 * figure has a value but lacks some expected units' share.
 */
export function figuresText(figures: number, withoutData: number, partial = 0): string {
  return `${figures - withoutData} with data${partial ? ` (${partial} partial: units missing)` : ''}, ${withoutData} without data (${figures} in the report)`;
}

/** The same count in Chinese, for what the county office reads (`aggregate`). */
export function figuresTextZh(figures: number, withoutData: number, partial = 0): string {
  return `报告共${figures}项数据，${figures - withoutData}项有数据${partial ? `（其中${partial}项缺少部分单位的数据）` : ''}，${withoutData}项暂无数据`;
}
