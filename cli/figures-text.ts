/**
 * How many of a report's figures have a value: one wording for the demo and
 * aggregate summaries, so the two can never count differently.
 */
export function figuresText(figures: number, withoutData: number): string {
  return `${figures - withoutData} with data, ${withoutData} without data (${figures} in the report)`;
}
