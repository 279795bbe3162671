import { z } from 'zod';

/**
 * What starts an aggregation run. EventBridge Scheduler invokes the function
 * with the schedule's fixed input ({ trigger: "schedule", county }); a person
 * or the CLI invokes it with { trigger: "manual", county, year }. A classic
 * EventBridge rule's "Scheduled Event" is accepted too.
 */
export const AggregateEventSchema = z.union([
  z.object({
    trigger: z.literal('manual'),
    county: z.string().min(1),
    year: z.number().int().min(2000).max(2100),
    requestedBy: z.string().optional(),
  }),
  z.object({
    trigger: z.literal('schedule'),
    county: z.string().min(1),
    year: z.number().int().min(2000).max(2100).optional(),
    schedule: z.string().optional(),
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
