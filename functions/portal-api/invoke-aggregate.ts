import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { AggregateResponse } from '../aggregate/handler';

const lambda = new LambdaClient({ maxAttempts: 2 });

/** "Run aggregation now": the county's aggregate function, invoked synchronously as the CLI does. */
export async function invokeAggregate(functionName: string, event: object): Promise<AggregateResponse> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }));
  const payload = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  if (out.FunctionError) throw new Error(`${functionName} failed: ${payload}`);
  return JSON.parse(payload) as AggregateResponse;
}
