/**
 * What the portal API answers the clerk's page: the server's use cases build
 * these and the page (portal/src, a browser program with its own tsconfig)
 * reads them. Types only and no imports, so the page can share them without
 * taking in any server code.
 */

/** A unit's state, as the clerk and the office read it (core/portal/status.ts decides it). */
export type UnitState = 'missing' | 'accepted' | 'rejected' | 'returned' | 'locked';

/** GET /api/clerk/me */
export interface ClerkOverview {
  county: string;
  unit: { id: string; name: string };
  year: number;
  deadline: string;
  daysLeft: number;
  state: UnitState;
  stateLabel: string;
  /** Why uploads are refused, when the year is locked for this unit. */
  lockMessage?: string;
  current?: { fileName: string; receivedAt: string; rows: number };
  returnComment?: { comment: string; by: string; at: string };
  history: { fileName: string; at: string; outcome: string }[];
  /** When this credential stops working: the browser session's end once the link was opened, else the link's expiry. */
  linkValidUntil: string;
  /** True when the page works from a session a unit link was exchanged for (the link itself is spent). */
  opened: boolean;
}

/** POST /api/clerk/session: the unit link spent on a browser session. */
export interface ClerkSession {
  session: string;
  validUntil: string;
}

/** POST /api/clerk/uploads: a presigned POST for exactly one file. */
export interface ClerkUploadGrant {
  url: string;
  fields: Record<string, string>;
  key: string;
  maxBytes: number;
  year: number;
}

/** One figure of a submission, with its indicator's name and the cell it was read from. */
export interface FigureAsRead {
  indicatorId: string;
  name: string;
  /** As the clerk wrote it (近300, 1000余) or the number. */
  value: string;
  unit: string;
  where: string;
}

/** A submission as people read it in the portal. */
export interface SubmissionView {
  figures: FigureAsRead[];
  ledgers: { id: string; name: string; rows: number }[];
  narratives: number;
  warnings: string[];
}

/** One problem of a rejected upload, with sheet and cell. */
export interface ProblemView {
  severity: 'error' | 'warning';
  sheet?: string;
  cell?: string;
  where: string;
  message: string;
  value?: string;
}

/**
 * An accepted file that replaced the unit's earlier one (a later file replaces the whole submission): what it
 * added, changed and dropped, each "指标“…”（3000册）" or "台账“…”（11行）", and the replaced file's name.
 */
export interface ReplacementView {
  replaced: string;
  added: string[];
  changed: string[];
  dropped: string[];
}

/** GET /api/clerk/outcome */
export type ClerkOutcome =
  | { state: 'pending' }
  | ({ state: 'accepted'; rows: number; replacement?: ReplacementView } & SubmissionView)
  | { state: 'superseded'; reason?: string }
  | { state: 'rejected'; problems: ProblemView[]; problemCount: number; reason?: string; errorReportKey?: string };

/** What the office page needs to start the sign-in flow; served at GET /api/sign-in/settings. */
export interface SignInSettings {
  provider: 'cognito' | 'oidc';
  authorizationEndpoint: string;
  clientId: string;
  scopes: string[];
  /** Where sign-out goes, and which parameters it takes (Cognito's /logout is not the standard end_session endpoint). */
  endSession?: { url: string; style: 'oidc' | 'cognito' };
}
