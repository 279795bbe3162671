import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
  type ListUserPoolsCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';

/**
 * A county office account in the stack's Cognito user pool: the requests
 * `yearly-report office-user add` makes (cli/commands/office-user.ts).
 * The client honours AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, which the
 * tests point at cognito-local, an in-process emulator.
 */
export class NoSuchUserPoolError extends Error {
  constructor(poolName: string) {
    super(`no Cognito user pool named ${poolName} in this account and region: deploy the county first, or pass --user-pool-id (in the China partition the county's own OpenID provider holds the office's users)`);
  }
}

export async function addOfficeUser(input: {
  email: string;
  name: string;
  role: 'office' | 'viewer';
  userPoolId?: string;
  poolName: string;
  region?: string;
  client?: CognitoIdentityProviderClient;
}): Promise<{ created: boolean; username: string; userPoolId: string }> {
  const client = input.client ?? new CognitoIdentityProviderClient(input.region ? { region: input.region } : {});
  const userPoolId = input.userPoolId ?? (await findPool(client, input.poolName));
  let created = true;
  let username: string;
  try {
    const out = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: input.email,
        UserAttributes: [
          { Name: 'email', Value: input.email },
          // Verified, so the temporary password and any recovery go to this address.
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: input.name },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    username = out.User?.Username ?? input.email;
  } catch (err) {
    if ((err as Error).name !== 'UsernameExistsException') throw err;
    created = false;
    username = (await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: input.email }))).Username ?? input.email;
  }
  await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: input.role }));
  return { created, username, userPoolId };
}

async function findPool(client: CognitoIdentityProviderClient, poolName: string): Promise<string> {
  let NextToken: string | undefined;
  do {
    const page: ListUserPoolsCommandOutput = await client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
    const match = page.UserPools?.find((p) => p.Name === poolName);
    if (match?.Id) return match.Id;
    NextToken = page.NextToken;
  } while (NextToken);
  throw new NoSuchUserPoolError(poolName);
}
