import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createS3Client } from '../shared/adapters/aws-clients';
import { downloadPrefix } from '../shared/adapters/s3-download';
import type { AggregateResponse } from '../functions/aggregate/handler';

/** Invokes a deployed aggregate function synchronously and returns its summary. */
export async function invokeAggregate(functionName: string, event: object): Promise<AggregateResponse> {
  const lambda = new LambdaClient({});
  try {
    const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }));
    const payload = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (out.FunctionError) throw new Error(`${functionName} failed: ${payload}`);
    return JSON.parse(payload) as AggregateResponse;
  } finally {
    lambda.destroy();
  }
}

/** Copies the artifacts of a run into a local folder. */
export async function downloadReports(bucket: string, prefix: string, outDir: string): Promise<string[]> {
  const s3 = createS3Client();
  try {
    return await downloadPrefix(s3, bucket, prefix, outDir);
  } finally {
    s3.destroy();
  }
}
