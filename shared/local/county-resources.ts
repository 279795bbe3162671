import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { TABLE_DESIGN } from '../storage/layout';

/**
 * Creates a county's buckets and table in the emulators from the same
 * TABLE_DESIGN the CDK stack uses. Idempotent: existing resources are kept.
 * (dynalite cannot set TTL, so the TTL attribute only matters in AWS.)
 */
export async function ensureCountyResources(names: { buckets: readonly string[]; table: string }): Promise<void> {
  const s3 = new S3Client({ forcePathStyle: true });
  for (const bucket of new Set(names.buckets)) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (err) {
      if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((err as Error).name)) throw err;
    }
  }
  s3.destroy();

  const dynamo = new DynamoDBClient({});
  const keys = [TABLE_DESIGN.partitionKey, TABLE_DESIGN.sortKey];
  const gsiKeys = TABLE_DESIGN.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]);
  const attributes = new Map([...keys, ...gsiKeys].map((k) => [k.name, k.type]));
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: names.table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
        KeySchema: [
          { AttributeName: TABLE_DESIGN.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: TABLE_DESIGN.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE_DESIGN.globalSecondaryIndexes.map((g) => ({
          IndexName: g.indexName,
          KeySchema: [
            { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: g.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException) && (err as Error).name !== 'ResourceInUseException') throw err;
  }
  try {
    await untilActive(dynamo, names.table);
  } finally {
    dynamo.destroy();
  }
}

/**
 * dynalite answers CreateTable while the table is still CREATING (even with
 * createTableMs 0), and a write then gets ResourceNotFoundException; on a busy
 * machine a test's first write can land in that gap.
 */
async function untilActive(dynamo: DynamoDBClient, table: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    try {
      const out = await dynamo.send(new DescribeTableCommand({ TableName: table }));
      if (out.Table?.TableStatus === 'ACTIVE') return;
    } catch (err) {
      if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`table ${table} did not become ACTIVE in 10 s`);
}
