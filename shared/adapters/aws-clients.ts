import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, configured from the standard environment only. Endpoints come
 * from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB, which the SDK reads
 * itself; checksum behaviour from AWS_REQUEST_CHECKSUM_CALCULATION /
 * AWS_RESPONSE_CHECKSUM_VALIDATION. Path-style addressing is needed by S3
 * emulators and some private endpoints, so it is a setting
 * (S3_FORCE_PATH_STYLE=true), not a test branch.
 */
export function createS3Client(): S3Client {
  return new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true', maxAttempts: 3 });
}

export function createDynamoClient(): DynamoDBClient {
  return new DynamoDBClient({ maxAttempts: 3 });
}

/** Over `client` when given, so a function that also needs the plain client (Powertools idempotency) builds one, not two. */
export function createDocumentClient(client: DynamoDBClient = createDynamoClient()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
