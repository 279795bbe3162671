import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { viaService } from '../partition';
import { TABLE_DESIGN } from '../../shared/storage/layout';
import type { CountyNames } from '../names';
import type { StageSettings } from '../settings';

export interface SubmissionTableProps {
  names: CountyNames;
  settings: StageSettings;
  key: kms.IKey;
}

type KeyType = (typeof TABLE_DESIGN)['partitionKey']['type'];
const ATTRIBUTE_TYPES: Record<KeyType, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
};

const attribute = (key: { name: string; type: KeyType }): dynamodb.Attribute => ({
  name: key.name,
  type: ATTRIBUTE_TYPES[key.type],
});

/** What a function may do with the table. No Scan: every access path is a key or an index. */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const;
export type TableAccess = keyof typeof TABLE_ACTIONS;

/**
 * The county's submissions table, built from TABLE_DESIGN (the same design
 * the local emulator creates), with point-in-time recovery and the county's
 * KMS key.
 */
export class SubmissionTable extends Construct {
  readonly table: dynamodb.Table;
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: SubmissionTableProps) {
    super(scope, id);
    const { names, settings } = props;
    this.key = props.key;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: names.table,
      partitionKey: attribute(TABLE_DESIGN.partitionKey),
      sortKey: attribute(TABLE_DESIGN.sortKey),
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: settings.deletionProtection,
      removalPolicy: settings.removalPolicy,
    });
    for (const index of TABLE_DESIGN.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /**
   * The statements a role needs: the table and each named index (no
   * `index/*`), and the key for reading/writing encrypted items.
   */
  accessStatements(access: TableAccess, leadingKeys?: readonly string[]): iam.PolicyStatement[] {
    const indexArns = TABLE_DESIGN.globalSecondaryIndexes.map((index) => `${this.table.tableArn}/index/${index.indexName}`);
    // With leadingKeys, only items whose partition key matches one of the patterns (dynamodb:LeadingKeys).
    const conditions = leadingKeys ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] } } : undefined;
    return [
      new iam.PolicyStatement({ actions: [...TABLE_ACTIONS[access]], resources: [this.table.tableArn, ...indexArns], ...(conditions ? { conditions } : {}) }),
      new iam.PolicyStatement({
        actions: access === 'read' ? ['kms:Decrypt', 'kms:DescribeKey'] : ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
        // The key serves the buckets and queues too; this grant is for table items only.
        conditions: { StringEquals: { 'kms:ViaService': viaService(this, 'dynamodb') } },
      }),
    ];
  }
}
