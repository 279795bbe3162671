import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import '../core/zod-mini-locale';
import * as z from 'zod/mini';
import { TABLE_DESIGN } from '../storage/layout';
import type { PortalStore, ReviewRecord } from '../usecases/portal/ports';

/**
 * The portal's records in the county's table:
 *   REVIEW#<year>   <unit>#<at>   one review decision (审核: 通过 / 退回修改)
 * Reviews sit outside the YEAR#<year> partition and carry their year as
 * `reviewYear`, not `year`: they are the office's decisions, not a projection
 * of the raw uploads, so `replay` (which wipes items whose `year` matches and
 * rebuilds them from S3) must leave them alone.
 */
const PK = TABLE_DESIGN.partitionKey.name;
const SK = TABLE_DESIGN.sortKey.name;

const ReviewItemSchema = z.object({
  reviewYear: z.int(),
  unitId: z.string().check(z.minLength(1)),
  decision: z.enum(['pass', 'return']),
  comment: z.optional(z.string()),
  versionToken: z.optional(z.string()),
  s3Key: z.optional(z.string()),
  by: z.string().check(z.minLength(1)),
  at: z.string().check(z.minLength(1)),
});

export class DynamoPortalStore implements PortalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putReview(review: ReviewRecord): Promise<void> {
    const { year, ...rest } = review;
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { [PK]: `REVIEW#${year}`, [SK]: `${review.unitId}#${review.at}`, reviewYear: year, ...rest } }));
  }

  async listReviews(year: number): Promise<ReviewRecord[]> {
    const reviews: ReviewRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: { ':pk': `REVIEW#${year}` },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of out.Items ?? []) {
        const parsed = ReviewItemSchema.safeParse(item);
        if (parsed.success) {
          const { reviewYear, ...rest } = parsed.data;
          reviews.push({ year: reviewYear, ...rest });
        }
      }
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return reviews.sort((a, b) => a.at.localeCompare(b.at));
  }
}
