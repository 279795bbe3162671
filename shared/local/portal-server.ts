import type { AddressInfo } from 'node:net';
import { PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createPortalApi } from '../../functions/portal-api/app';
import { createOfficeVerifier } from '../../functions/portal-api/office-auth';
import { portalStorage } from '../../functions/portal-api/storage';
import { buildPortalSite } from '../../portal/build';
import { contentSecurityPolicy, OTHER_SECURITY_HEADERS } from '../../portal/headers';
import type { LoadedCounty } from '../core/county/load';
import { issueUploadToken } from '../core/upload-access/token';
import { createLocalIssuer, type LocalIssuer } from './local-issuer';
import type { LocalPipeline } from './local-pipeline';

/**
 * The portal on loopback: the static build and the same Hono API the Lambda
 * serves (Node adapter), over a local pipeline that ingests every POSTed
 * upload as S3 → SQS → Lambda would (autoDeliver). Office sign-in is the
 * stand-in issuer's; the API verifies its tokens with the Cognito verifier.
 */
/** The port asked for is taken (another serve, or another program): one line for the person, no stack trace. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly port: number) {
    super(`端口${port}已被占用，请换一个 --port，或不写 --port 自动选用空闲端口 (port ${port} is in use: choose another --port, or leave it out for a free one)`);
  }
}

export interface PortalServerOptions {
  pipeline: LocalPipeline;
  county: LoadedCounty;
  /** The server's clock; the demo runs a past year as if it were its collection window. */
  now?: () => Date;
  port?: number;
}

export interface PortalServer {
  url: string;
  issuer: LocalIssuer;
  /** The office page, signed in as `name`, the token in the fragment. */
  officeUrl(person?: { name: string; role: 'office' | 'viewer' }): string;
  /** Issues a new link for a unit (as the office's "create link" does) and returns its address. */
  unitLink(unitId: string, days?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const { pipeline, county } = options;
  const now = options.now ?? (() => new Date());
  const site = await buildPortalSite();
  const issuer = createLocalIssuer();
  const { storage, presign, close: closeStorage } = portalStorage(pipeline.names);
  const api = createPortalApi({
    ...storage,
    county,
    now,
    presign,
    verifyOffice: createOfficeVerifier({ userPoolId: issuer.userPoolId, clientId: issuer.clientId, jwks: issuer.jwks }),
    runAggregation: async (year, requestedBy) => {
      const out = await pipeline.aggregate({ trigger: 'manual', county: county.config.id, year, requestedBy });
      return { artifacts: out.artifacts };
    },
  });

  const uploadOrigin = new URL(pipeline.aws.env.AWS_ENDPOINT_URL_S3!).origin;
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('content-security-policy', contentSecurityPolicy(uploadOrigin));
    for (const [name, value] of Object.entries(OTHER_SECURITY_HEADERS)) c.header(name, value);
  });
  app.get('/', (c) => c.redirect('/index.html'));
  // Locally there is no hosted sign-in page: the office URL the server prints carries the token.
  app.get('/portal-config.json', (c) => c.json({ mode: 'local' }));
  app.get('/:file{[a-z-]+\\.(html|js|css)}', (c, next) => {
    const file = site.get(c.req.param('file'));
    return file ? c.body(new Uint8Array(file.bytes), 200, { 'content-type': file.contentType, 'cache-control': 'no-cache' }) : next();
  });
  app.route('/', api);

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      closeStorage();
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(options.port ?? 0) : err);
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The page POSTs the file straight to the bucket, as in AWS: the bucket lets the portal's origin do so and read the ETag.
  const s3 = new S3Client({ forcePathStyle: true });
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: pipeline.names.submissionsBucket,
      CORSConfiguration: { CORSRules: [{ AllowedOrigins: [url], AllowedMethods: ['POST'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag', 'x-amz-version-id'], MaxAgeSeconds: 600 }] },
    }),
  );
  s3.destroy();

  return {
    url,
    issuer,
    officeUrl: (person = { name: '本地管理员', role: 'office' }) => `${url}/office.html#id_token=${issuer.signIn(person)}`,
    async unitLink(unitId, days = 30) {
      const { token, record } = issueUploadToken({ county: county.config.id, unitId, createdBy: 'yearly-report serve', now: now(), validDays: days });
      await storage.links.put(record);
      return `${url}/clerk.html#t=${token}`;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      closeStorage();
    },
  };
}
