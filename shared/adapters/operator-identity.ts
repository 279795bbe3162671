import os from 'node:os';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { LockActor } from '../core/lock-history';

/**
 * Who is running a lock command, and when, from something other than the
 * operator's word and clock. In AWS: STS GetCallerIdentity gives the caller's
 * ARN, and the Date header of that response is AWS's time (to the second;
 * the event id orders events within one). Locally: the OS user and the
 * machine clock, labelled `local-os` so no one mistakes them for verified.
 */
export interface StampedActor {
  by: LockActor;
  at: string;
}

export async function awsCaller(client = new STSClient({})): Promise<StampedActor> {
  let serverDate: string | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string> }).headers;
      serverDate = headers?.date ?? headers?.Date;
      return result;
    },
    { step: 'deserialize', name: 'captureServerDate' },
  );
  try {
    const identity = await client.send(new GetCallerIdentityCommand({}));
    if (!identity.Arn) throw new Error('STS returned no caller ARN');
    if (!serverDate || Number.isNaN(Date.parse(serverDate))) throw new Error('STS response had no Date header');
    return { by: { principal: identity.Arn, source: 'aws-sts' }, at: new Date(serverDate).toISOString() };
  } finally {
    client.destroy();
  }
}

export function localCaller(now = new Date()): StampedActor {
  return { by: { principal: os.userInfo().username, source: 'local-os' }, at: now.toISOString() };
}
