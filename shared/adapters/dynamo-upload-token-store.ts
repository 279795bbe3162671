import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { UploadGrantRecordSchema, type UploadGrantRecord } from '../core/upload-access/grant';
import { kindOf, UploadTokenRecord, UploadTokenRecordSchema } from '../core/upload-access/token';
import { TABLE_DESIGN } from '../storage/layout';

/**
 * Upload-token records in the county's table (infra, issue 7):
 *   UPLOADTOKEN#<tokenId>   TOKEN     the record: salt + hash of the secret, never the secret
 *   gsi1: UPLOADTOKENS#<unit>  <createdAt>#<tokenId>   a unit's links, for the office's list and revocation
 *         UPLOADSESSIONS#<unit> …                     the browser sessions links were exchanged for (not listed)
 *   UPLOADGRANT#<grantId>   GRANT     an upload grant: its link, its key, the version that used it (kept:
 *                                     replay judges every version again)
 * The TTL attribute removes a record 90 days after it stopped being valid,
 * long enough for "expired" (not "unknown") to be the answer a unit gets.
 */
const PK = TABLE_DESIGN.partitionKey.name;
const SK = TABLE_DESIGN.sortKey.name;
const GSI = TABLE_DESIGN.globalSecondaryIndexes[0];
const TTL = TABLE_DESIGN.timeToLiveAttribute;
const KEEP_AFTER_EXPIRY_SECONDS = 90 * 86_400;

const tokenKey = (tokenId: string) => ({ [PK]: `UPLOADTOKEN#${tokenId}`, [SK]: 'TOKEN' });
const grantKey = (grantId: string) => ({ [PK]: `UPLOADGRANT#${grantId}`, [SK]: 'GRANT' });

export class DynamoUploadTokenStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(record: UploadTokenRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...tokenKey(record.tokenId),
          [GSI.partitionKey.name]: `${kindOf(record) === 'session' ? 'UPLOADSESSIONS' : 'UPLOADTOKENS'}#${record.unitId}`,
          [GSI.sortKey.name]: `${record.createdAt}#${record.tokenId}`,
          [TTL]: Math.floor(Date.parse(record.validUntil) / 1000) + KEEP_AFTER_EXPIRY_SECONDS,
          ...record,
        },
        // A tokenId collision (64 random bits) must not overwrite another unit's token.
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PK },
      }),
    );
  }

  async get(tokenId: string): Promise<UploadTokenRecord | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: tokenKey(tokenId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const parsed = UploadTokenRecordSchema.safeParse(out.Item);
    // A malformed record authenticates nobody.
    return parsed.success ? parsed.data : undefined;
  }

  async listByUnit(unitId: string): Promise<UploadTokenRecord[]> {
    const records: UploadTokenRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI.indexName,
          KeyConditionExpression: '#gpk = :gpk',
          ExpressionAttributeNames: { '#gpk': GSI.partitionKey.name },
          ExpressionAttributeValues: { ':gpk': `UPLOADTOKENS#${unitId}` },
          ExclusiveStartKey,
        }),
      );
      for (const item of out.Items ?? []) {
        const parsed = UploadTokenRecordSchema.safeParse(item);
        if (parsed.success) records.push(parsed.data);
      }
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records;
  }

  /**
   * Spends a unit link on a browser session, once: true for the one caller
   * that finds the link neither exchanged nor revoked (a conditional write, so
   * two tabs opening the same link at once cannot both win).
   */
  async exchange(tokenId: string, sessionTokenId: string, at: Date): Promise<boolean> {
    return this.updateIf({
      Key: tokenKey(tokenId),
      UpdateExpression: 'SET exchangedAt = :at, exchangedTo = :session',
      ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(exchangedAt) AND attribute_not_exists(revokedAt)',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':at': at.toISOString(), ':session': sessionTokenId },
    });
  }

  async putGrant(record: UploadGrantRecord): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...grantKey(record.grantId), ...record }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }),
    );
  }

  async getGrant(grantId: string): Promise<UploadGrantRecord | undefined> {
    if (!/^[0-9a-f]{16}$/.test(grantId)) return undefined;
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: grantKey(grantId), ConsistentRead: true }));
    const parsed = out.Item ? UploadGrantRecordSchema.safeParse(out.Item) : undefined;
    return parsed?.success ? parsed.data : undefined;
  }

  /** Marks the grant used by this object version; false if another version used it first (the same version again is true). */
  async claimGrant(grantId: string, versionToken: string): Promise<boolean> {
    return this.updateIf({
      Key: grantKey(grantId),
      UpdateExpression: 'SET usedBy = :v',
      ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(usedBy) OR usedBy = :v)',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':v': versionToken },
    });
  }

  /** Marks a token revoked (kept, so the unit is told "revoked" rather than "invalid"). False if there is no such token. */
  async revoke(tokenId: string, by: string, at: Date): Promise<boolean> {
    return this.updateIf({
      Key: tokenKey(tokenId),
      UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at), revokedBy = if_not_exists(revokedBy, :by)',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':at': at.toISOString(), ':by': by },
    });
  }

  /** A conditional update: true when it was applied, false when its condition did not hold. */
  private async updateIf(input: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, ...input }));
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}
