/**
 * A year's lock history: an append-only list of decisions (lock, unlock,
 * exception, revoke), each stamped with a time no operator typed (the
 * service's clock: STS's Date header in AWS, the machine's clock locally) and
 * the caller's identity (an STS ARN in AWS, the OS user locally, labelled so).
 * Whether an upload is closed out is decided from the history as it stood
 * when S3 received the upload, so a late delivery, a retry or a replay
 * judges it the same way.
 */
export type LockEventKind = 'lock' | 'unlock' | 'exception' | 'revoke';

export interface LockActor {
  /** An IAM/STS ARN, or the OS user name. */
  principal: string;
  /**
   * Where `principal` came from: verified by AWS STS, a portal sign-in whose
   * ID token was verified (Cognito or the county's OpenID provider), or the local
   * machine (unverified).
   */
  source: 'aws-sts' | 'portal-signin' | 'local-os';
  /** A portal sign-in's immutable identity, `<issuer>#<sub>` (the name in `principal` may be shared or change). */
  subject?: string;
}

export interface LockEvent {
  year: number;
  kind: LockEventKind;
  /** ISO 8601 UTC, from the service clock (see above). */
  at: string;
  /** Unique within the year; orders events recorded in the same instant. */
  id: string;
  by: LockActor;
  /** For exception and revoke. */
  unitId?: string;
  reason?: string;
}

export interface LockState {
  locked?: { at: string; by: LockActor; reason?: string };
  /** Units that may upload despite the lock. An exception belongs to one lock period: unlock and a new lock end it. */
  exceptions: ReadonlySet<string>;
}

export function sortLockEvents(events: readonly LockEvent[]): LockEvent[] {
  return [...events].sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at.localeCompare(b.at)));
}

/** The lock state in force at `instant` (ISO 8601): every event recorded at or before it, in order. */
export function lockStateAt(events: readonly LockEvent[], instant: string): LockState {
  let locked: LockState['locked'];
  let exceptions = new Set<string>();
  const t = Date.parse(instant);
  for (const e of sortLockEvents(events)) {
    if (Date.parse(e.at) > t) break;
    switch (e.kind) {
      case 'lock':
        locked = e.reason === undefined ? { at: e.at, by: e.by } : { at: e.at, by: e.by, reason: e.reason };
        exceptions = new Set();
        break;
      case 'unlock':
        locked = undefined;
        exceptions = new Set();
        break;
      case 'exception':
        if (e.unitId) exceptions.add(e.unitId);
        break;
      case 'revoke':
        if (e.unitId) exceptions.delete(e.unitId);
        break;
    }
  }
  return { locked, exceptions };
}

/** How a person reads who did it: the ARN as AWS verified it, or the local user marked as local. */
export function describeActor(actor: LockActor): string {
  return actor.source === 'local-os' ? `${actor.principal}（本机用户，未经AWS验证）` : actor.principal;
}
