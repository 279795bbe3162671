import '../zod-mini-locale';
import * as z from 'zod/mini';
import { ID, SubmitterSchema } from '../catalogue/schema';
import { scheduleExpressionProblem, timeZoneProblem } from './schedule-expression';

/** A check that reports a computed problem (or none) as the field's error. */
const problemCheck = (problem: (value: string) => string | undefined) =>
  z.superRefine((value: string, ctx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message, input: value });
  });

/**
 * A county's config: everything that differs between counties. Adding a
 * county is a folder under shared/counties/ with a county.json, a template
 * and sample data (and, when its report states figures the national
 * catalogue lacks, its own indicators.json / ledgers.json / checks.json);
 * no code changes. Every object is strict: a misspelled key is an error.
 *
 * Each schema is built on first use (z.lazy): a Lambda loads its county from
 * the snapshot its bundle carries (county/snapshot.ts) and never parses a
 * config file, so its cold start does not pay for building them.
 */
export const UnitSchema = z.lazy(() =>
  z.strictObject({
    id: ID,
    /** Official full name, as in the report: 灵寿县司法局. */
    name: z.string().check(z.minLength(1)),
    /** What people type instead: 县司法局, 司法局. Matched after whitespace is removed. */
    aliases: z._default(z.array(z.string()), []),
    kind: z.enum(['township', 'department', 'office']),
    /** Groups the catalogue's submitters refer to: townships, enforcement_departments. */
    groups: z._default(z.array(ID), []),
    /** Roles the catalogue's submitters refer to: justice_bureau, approval_bureau. */
    roles: z._default(z.array(ID), []),
    /**
     * Every listed unit is expected to submit, and its absence is flagged.
     * An optional unit may submit (its figures count) but is never missing.
     */
    optional: z._default(z.boolean(), false),
    /**
     * The unit submits only narrative text (工作情况), no figures or ledgers.
     * Says so explicitly, so that a unit asked for nothing because of a
     * misspelled role is an error rather than a unit nobody notices.
     */
    narrativeOnly: z._default(z.boolean(), false),
  }),
);
export type Unit = z.infer<typeof UnitSchema>;

export const ScheduleSchema = z.lazy(() =>
  z.strictObject({
    /** EventBridge Scheduler expression, e.g. "cron(0 18 * 1-3 ? *)". */
    expression: z.string().check(problemCheck(scheduleExpressionProblem)),
    description: z.optional(z.string()),
  }),
);

/**
 * 版头 and 版记 (GB/T 9704 §7.2, §7.4), for a county that prints them: the
 * issuer's red mark over the document number and a red separator line; at
 * the end, the 抄送 line and the 印发 line (the printing office and date).
 */
export const DocumentFrameSchema = z.lazy(() =>
  z.strictObject({
    /** 发文机关标志 in red, e.g. 灵寿县人民政府文件. */
    masthead: z.optional(z.string().check(z.minLength(1))),
    /** 抄送机关, e.g. ["市政府法制办", "县纪委监委"]. */
    copyTo: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
    /** 印发机关, e.g. 灵寿县人民政府办公室; the 印发日期 is the document's date. */
    printedBy: z.optional(z.string().check(z.minLength(1))),
  }),
);
export type DocumentFrame = z.infer<typeof DocumentFrameSchema>;

/**
 * How this county uses the catalogue: national indicators it leaves out, who
 * submits an indicator or ledger here (replacing the national roles for that
 * one item only), and what it collects although its template never prints it.
 */
export const CountyCatalogueSchema = z.lazy(() =>
  z.strictObject({
    /** National indicators, ledgers or checks this county does not use. */
    exclude: z._default(z.array(ID), []),
    /** Indicator or ledger id → who submits it in this county. */
    assign: z._default(z.record(ID, z.array(SubmitterSchema).check(z.minLength(1))), {}),
    /** Indicators or ledgers collected although no template placeholder uses them. */
    alsoCollect: z._default(z.array(ID), []),
  }),
);
export type CountyCatalogue = z.infer<typeof CountyCatalogueSchema>;

/**
 * How the county office signs in to the portal. Cognito user pools exist only
 * in AWS's global partition; in the China regions (and wherever a county
 * already runs its own identity provider) the office signs in through any
 * OpenID Connect provider: authorization code flow with PKCE, the ID token
 * verified against the issuer's JWKS. The role comes from one claim (a string
 * or a list of strings), the person's name from another; the audit keeps the
 * provider's immutable `sub` beside the name.
 */
export const OfficeSignInSchema = z.lazy(() =>
  z.discriminatedUnion('provider', [
    z.strictObject({ provider: z.literal('cognito') }),
    z.strictObject({
      provider: z.literal('oidc'),
      /** The issuer exactly as its ID tokens' `iss` says, e.g. https://idp.example.gov.cn/realms/county. */
      issuer: z.url({ protocol: /^https$/ }),
      /** The portal's client id at that provider (a public client: no secret, PKCE). */
      clientId: z.string().check(z.minLength(1)),
      /** The ID-token claim holding the person's role or roles. */
      roleClaim: z._default(z.string().check(z.minLength(1)), 'groups'),
      /** Values of roleClaim that mean the county office role (acts) and the viewer role (reads). */
      officeRoles: z._default(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), ['office']),
      viewerRoles: z._default(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), ['viewer']),
      /** The ID-token claim that names the person (shown in the audit beside `sub`). */
      nameClaim: z._default(z.string().check(z.minLength(1)), 'name'),
      /** Scopes asked for; openid is required. */
      scopes: z._default(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), ['openid', 'profile']),
    }),
  ]),
);
export type OfficeSignIn = z.infer<typeof OfficeSignInSchema>;

export const CountyConfigSchema = z.lazy(() =>
  z.strictObject({
    /** The folder name under shared/counties/. */
    id: ID,
    /** 灵寿县 */
    name: z.string().check(z.minLength(1)),
    /** 灵寿县人民政府: the issuer. */
    government: z.string().check(z.minLength(1)),
    /** 中共灵寿县委、县人大常委会 as a list. */
    addressees: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
    /** 灵政函: the doc number reads 灵政函〔2022〕6号. */
    docNumberPrefix: z.string().check(z.minLength(1)),
    timeZone: z._default(z.string().check(problemCheck(timeZoneProblem)), 'Asia/Shanghai'),
    collection: z.strictObject({
      /** Month-day after the report year when submissions close, e.g. "01-10". */
      deadline: z.string().check(z.regex(/^\d{2}-\d{2}$/)),
      schedules: z.array(ScheduleSchema).check(z.minLength(1)),
      /**
       * Whether uploads received after the deadline day are refused like those
       * after an explicit `lock` (units with an exception still get through).
       * Off by default: most counties accept late submissions and mark them late.
       */
      lockAtDeadline: z._default(z.boolean(), false),
    }),
    units: z.array(UnitSchema).check(z.minLength(1)),
    catalogue: z._default(CountyCatalogueSchema, { exclude: [], assign: {}, alsoCollect: [] }),
    /**
     * Measure words the template may write after a figure instead of its
     * indicator's unit, where usage really varies: { "人": ["名"] } lets
     * "{{fig:mediators}}名" pass `county check`; the report and 报送情况.docx
     * then both print 名 for that figure. Nothing is allowed by default.
     */
    measureWords: z.optional(z.record(z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))))),
    /** Year-over-year change beyond this factor is a warning. */
    outlierFactor: z._default(z.number().check(z.positive()), 3),
    /** Optional 版头 and 版记 of report.docx; without it the report opens with its title. */
    documentFrame: z.optional(DocumentFrameSchema),
    /** E-mail addresses the monitoring topic notifies. */
    alarmEmails: z._default(z.array(z.email()), []),
    /**
     * A fictional county (the demo): synthesizes and deploys to dev for trying
     * things out, but a prod synth refuses it (infra/deploy-target.ts).
     */
    fictional: z._default(z.boolean(), false),
    /**
     * The portal's own host name and its certificate, when the county has one:
     * required in the China regions (CloudFront there serves only an
     * ICP-recorded alternate domain), optional elsewhere. `certificate` is the
     * IAM server certificate id in China, an ACM certificate ARN (us-east-1)
     * elsewhere. `-c domain=… -c certificate=…` override it for one deploy.
     */
    portalDomain: z.optional(
      z.strictObject({
        domain: z.string().check(z.regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/)),
        certificate: z.string().check(z.minLength(1)),
      }),
    ),
    /** The office's sign-in: a Cognito user pool (global partition only) or the county's own OpenID provider. */
    officeSignIn: z._default(OfficeSignInSchema, { provider: 'cognito' }),
  }),
);
export type CountyConfig = z.infer<typeof CountyConfigSchema>;
