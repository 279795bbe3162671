import './zod-mini-locale';
import * as z from 'zod/mini';

/**
 * What starts an aggregation run. EventBridge Scheduler invokes the function
 * with the schedule's fixed input ({ trigger: "schedule", county }); a person
 * or the CLI invokes it with { trigger: "manual", county, year }. A classic
 * EventBridge rule's "Scheduled Event" is accepted too. zod/mini: the
 * aggregate handler checks this on every run and loads it at cold start.
 */
export const AggregateEventSchema = z.union([
  z.object({
    trigger: z.literal('manual'),
    county: z.string().check(z.minLength(1)),
    year: z.int().check(z.minimum(2000), z.maximum(2100)),
    requestedBy: z.optional(z.string()),
  }),
  z.object({
    trigger: z.literal('schedule'),
    county: z.string().check(z.minLength(1)),
    year: z.optional(z.int().check(z.minimum(2000), z.maximum(2100))),
    schedule: z.optional(z.string()),
  }),
  z.object({
    'detail-type': z.literal('Scheduled Event'),
    source: z.literal('aws.events'),
    time: z.string(),
  }),
]);
export type AggregateEvent = z.infer<typeof AggregateEventSchema>;

/**
 * The report year a scheduled run works on: until 1 April (the publication
 * deadline) it is last year's report being collected and drafted; after it,
 * the current year's.
 */
export function reportYearAt(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric' }).formatToParts(now);
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  return month <= 3 ? year - 1 : year;
}
