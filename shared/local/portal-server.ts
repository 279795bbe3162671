import type { AddressInfo } from 'node:net';
import { PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createPortalApi } from '../../functions/portal-api/app';
import { createOfficeAuth } from '../../functions/portal-api/office-auth';
import { portalStorage } from '../../functions/portal-api/storage';
import { buildPortalSite } from '../../portal/build';
import { contentSecurityPolicy, OTHER_SECURITY_HEADERS } from '../../portal/headers';
import type { LoadedCounty } from '../core/county/load';
import { issueUploadToken } from '../core/upload-access/token';
import { startLocalOidcProvider, type LocalAccount, type LocalOidcProvider } from './local-oidc-provider';
import type { LocalPipeline } from './local-pipeline';

/**
 * The portal on loopback: the static build and the same Hono API the Lambda
 * serves (Node adapter), over a local pipeline that ingests every POSTed
 * upload as S3 → SQS → Lambda would (autoDeliver). The office signs in at a
 * real OpenID provider on its own loopback port (local-oidc-provider.ts),
 * configured for the API exactly as a county's own provider is in county.json.
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
  /** The provider's accounts (default: office and viewer, DEFAULT_LOCAL_ACCOUNTS). */
  accounts?: LocalAccount[];
  /** ID token lifetime at the local provider; tests shorten it to see a session expire. */
  idTokenSeconds?: number;
}

export interface PortalServer {
  url: string;
  /** The office page; it sends the person to the provider's sign-in page. */
  officeUrl: string;
  provider: LocalOidcProvider;
  /** Issues a new link for a unit (as the office's "create link" does) and returns its address. */
  unitLink(unitId: string, days?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const { pipeline, county } = options;
  const now = options.now ?? (() => new Date());
  const site = await buildPortalSite();
  // Listen first: the provider's one redirect address holds the port. Nothing can be requested before the app is set below.
  let app: Hono | undefined;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: (request, env) => app!.fetch(request, env), port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(options.port ?? 0) : err));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const officeUrl = `${url}/office.html`;
  const provider = await startLocalOidcProvider({ redirectUri: officeUrl, accounts: options.accounts, idTokenSeconds: options.idTokenSeconds });

  const { storage, presign, close: closeStorage } = portalStorage(pipeline.names);
  const api = createPortalApi({
    ...storage,
    county,
    now,
    presign,
    officeAuth: createOfficeAuth({ ...provider.signIn, allowLoopbackHttp: true }),
    runAggregation: async (year, requestedBy) => {
      const out = await pipeline.aggregate({ trigger: 'manual', county: county.config.id, year, requestedBy });
      return { artifacts: out.artifacts };
    },
  });

  const uploadOrigin = new URL(pipeline.aws.env.AWS_ENDPOINT_URL_S3!).origin;
  app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('content-security-policy', contentSecurityPolicy(uploadOrigin));
    for (const [name, value] of Object.entries(OTHER_SECURITY_HEADERS)) c.header(name, value);
  });
  app.get('/', (c) => c.redirect('/index.html'));
  app.get('/portal-config.json', (c) => c.json({ mode: 'local' }));
  app.get('/:file{[a-z-]+\\.(html|js|css)}', (c, next) => {
    const file = site.get(c.req.param('file'));
    return file ? c.body(new Uint8Array(file.bytes), 200, { 'content-type': file.contentType, 'cache-control': 'no-cache' }) : next();
  });
  app.route('/', api);

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
    officeUrl,
    provider,
    async unitLink(unitId, days = 30) {
      const { token, record } = issueUploadToken({ county: county.config.id, unitId, createdBy: '本机运行的报送服务', now: now(), validDays: days });
      await storage.links.put(record);
      return `${url}/clerk.html#t=${token}`;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.close();
      closeStorage();
    },
  };
}
