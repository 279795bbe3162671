/**
 * How long the clerk's page waits before asking again for the outcome after
 * the file is in S3. The API holds each request up to 3 s until ingest has
 * recorded the outcome (a long-poll), so the first ask goes at once and the
 * later ones need no hurry. The bench's upload-to-outcome row asks the same way.
 */
export const OUTCOME_POLL_DELAYS_MS = [0, 200, 500, 1000];

export function pollDelay(attempt: number): number {
  return OUTCOME_POLL_DELAYS_MS[Math.min(attempt, OUTCOME_POLL_DELAYS_MS.length - 1)]!;
}
