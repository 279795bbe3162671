import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The cold-start baseline: a Lambda that only creates the S3 and DynamoDB
 * clients our handlers create, bundled the same way. Its load + init time is
 * what any handler of this stack pays at least.
 */
const s3 = new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true', maxAttempts: 3 });
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }), { marshallOptions: { removeUndefinedValues: true } });

export const handler = async (): Promise<{ clients: number }> => ({ clients: [s3, dynamo].length });
