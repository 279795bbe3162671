import { decodePostPolicy, policyViolations } from '../core/upload-access/post-policy';
import type { UploadRequest } from '../core/upload-access/request-upload';

/**
 * The unit's side of the upload API (infra, issue 7): ask for a presigned
 * POST with the unit's token, check the file against the signed policy, post
 * it to S3, then poll for ingest's outcome. Plain fetch: a unit has a token,
 * not AWS credentials. `yearly-report upload --token` is meant to use this.
 */
export class UploadApiError extends Error {
  override readonly name = 'UploadApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface UploadGrantResponse {
  url: string;
  fields: Record<string, string>;
  key: string;
  contentType: string;
  maxBytes: number;
  expiresAt: string;
}

export interface UploadOutcomeResponse {
  state: 'accepted' | 'rejected' | 'superseded';
  reason?: string;
  rowCount?: number;
  problemCount?: number;
  errorReport?: string;
  /** Read with SubmissionChangesSchema before use: it comes over the network. */
  changes?: unknown;
}

export async function requestUploadGrant(apiUrl: string, token: string, request: UploadRequest): Promise<UploadGrantResponse> {
  const response = await fetch(new URL('uploads', withSlash(apiUrl)), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as Partial<UploadGrantResponse> & { error?: string; message?: string };
  if (response.status !== 200) throw new UploadApiError(response.status, body.error ?? 'error', body.message ?? `HTTP ${response.status}`);
  return body as UploadGrantResponse;
}

/** Posts the file under the grant. Refuses before sending if S3 would refuse it by the policy. */
export async function postUpload(grant: UploadGrantResponse, bytes: Uint8Array, now: Date = new Date()): Promise<{ versionId?: string; eTag?: string }> {
  const policy = decodePostPolicy(grant.fields.Policy ?? '');
  // The bucket is part of the URL, not of the form; the key, type and size are what can go wrong.
  const bucket = policy.conditions.map((c) => (Array.isArray(c) ? undefined : c.bucket)).find((b) => b !== undefined) ?? '';
  const problems = policyViolations(policy, { ...grant.fields, bucket }, bytes.byteLength, now);
  if (problems.length) throw new UploadApiError(413, 'refused_by_policy', `S3 would refuse this upload: ${problems.join('; ')}`);
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: grant.contentType }));
  const response = await fetch(grant.url, { method: 'POST', body: form });
  if (response.status !== 204 && response.status !== 201 && response.status !== 200) {
    throw new UploadApiError(response.status, 's3_refused', `S3 refused the upload: ${(await response.text()).slice(0, 500)}`);
  }
  return {
    versionId: response.headers.get('x-amz-version-id') ?? undefined,
    eTag: response.headers.get('etag')?.replaceAll('"', '') ?? undefined,
  };
}

/** Polls until ingest has recorded the outcome, or gives up (undefined) after timeoutMs. */
export async function waitForOutcome(
  apiUrl: string,
  token: string,
  upload: { key: string; versionId?: string; eTag?: string },
  timeoutMs: number,
  pollMs = 2000,
): Promise<UploadOutcomeResponse | undefined> {
  const url = new URL('uploads/outcome', withSlash(apiUrl));
  url.searchParams.set('key', upload.key);
  if (upload.versionId) url.searchParams.set('versionId', upload.versionId);
  if (upload.eTag) url.searchParams.set('eTag', upload.eTag);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as UploadOutcomeResponse & { error?: string; message?: string };
    if (response.status === 200) return body;
    if (response.status !== 202) throw new UploadApiError(response.status, body.error ?? 'error', body.message ?? `HTTP ${response.status}`);
    if (Date.now() + pollMs > until) return undefined;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
