/**
 * How many of a report's figures have a value: one wording for the demo and
 * aggregate summaries, so the two can never count differently. A partial
 * figure has a value but lacks some expected units' share.
 */
export function figuresText(figures: number, withoutData: number, partial = 0): string {
  return `${figures - withoutData} with data${partial ? ` (${partial} partial: units missing)` : ''}, ${withoutData} without data (${figures} in the report)`;
}
