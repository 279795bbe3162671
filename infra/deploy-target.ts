import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { suggest } from '../shared/core/config/problems';
import { ConfigError } from '../shared/core/errors';
import { REPO_COUNTIES_DIR } from '../shared/core/county/load';
import type { CountyConfig, OfficeSignIn } from '../shared/core/county/schema';
import type { DeploymentChoices } from './partition';
import { StageSchema, type Stage } from './settings';

export interface DeployTarget {
  counties: string[];
  stage: Stage;
  env?: { account?: string; region?: string };
  /** -c domain / -c certificate, overriding county.json's portalDomain. */
  portalDomain?: { domain: string; certificate: string };
  /** -c oidcIssuer / -c oidcClientId: the office signs in through this OpenID provider for this deploy. */
  oidc?: { issuer: string; clientId: string };
  /** -c noAlarmEmails=true: a prod synth without alarm e-mails, knowingly (the topic is subscribed some other way). */
  noAlarmEmails: boolean;
}

/**
 * The `-c` keys this app reads. A key that is not one of them but looks like
 * one (another case, a typo: `-c County=lingshou`, `-c regoin=…`) is refused
 * with the key meant, so it no longer synthesizes every county or the wrong
 * region. Other keys pass untouched: CDK's own (feature flags, aws:cdk:…,
 * lookups, cli-telemetry) and any a library reads.
 */
export const CONTEXT_KEYS = ['county', 'stage', 'account', 'region', 'domain', 'certificate', 'oidcIssuer', 'oidcClientId', 'noAlarmEmails'] as const;

const ContextSchema = z.strictObject({
  county: z.string().min(1).optional(),
  stage: StageSchema.default('dev'),
  account: z.string().regex(/^\d{12}$/, '12 digits').optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region name such as cn-north-1').optional(),
  domain: z.string().min(1).optional(),
  certificate: z.string().min(1).optional(),
  oidcIssuer: z.url({ protocol: /^https$/ }).optional(),
  oidcClientId: z.string().min(1).optional(),
  noAlarmEmails: z.enum(['true', 'false']).optional(),
});

/** Counties that have a county.json; a folder without one (work in progress) is skipped. */
export function configuredCounties(countiesDir: string = REPO_COUNTIES_DIR): string[] {
  return readdirSync(countiesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(countiesDir, entry.name, 'county.json')))
    .map((entry) => entry.name)
    .sort();
}

const contextError = (field: string, detail: string) => new ConfigError('cdk context (-c)', field, detail);

/** -c keys that look like this app's but are not (another case, a typo): refused, with the key meant. */
export function unknownContextKeys(keys: Iterable<string>): string[] {
  const ours = new Set<string>(CONTEXT_KEYS);
  return [...keys].filter((key) => !ours.has(key) && /^[A-Za-z][A-Za-z0-9_-]*$/.test(key) && suggest(key, CONTEXT_KEYS) !== undefined);
}

/**
 * Reads the `-c` keys, checked with zod. `allKeys` is every context key the
 * app was given (node.getAllContext()), to refuse a misspelt one.
 */
export function readDeployTarget(context: (key: string) => unknown, countiesDir: string = REPO_COUNTIES_DIR, allKeys: Iterable<string> = []): DeployTarget {
  for (const key of unknownContextKeys(allKeys)) {
    throw contextError(key, `unknown -c key (did you mean -c ${suggest(key, CONTEXT_KEYS)}=…?); this app reads ${CONTEXT_KEYS.join(', ')}`);
  }
  const raw = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, stringOrUndefined(context(key))]));
  const parsed = ContextSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw contextError(issue.path.join('.'), issue.message);
  }
  const { county, stage, account, region, domain, certificate, oidcIssuer, oidcClientId, noAlarmEmails } = parsed.data;
  const available = configuredCounties(countiesDir);
  if (county !== undefined && !available.includes(county)) {
    const meant = suggest(county, available);
    throw contextError('county', `no county "${county}" under shared/counties/${meant ? `: did you mean -c county=${meant}?` : ''} (configured: ${available.join(', ') || 'none'})`);
  }
  if (stage === 'prod' && county === undefined) {
    throw contextError('county', `a prod synth or deploy names its county (-c county=<id>; configured: ${available.join(', ')}); it never picks every county`);
  }
  if (stage === 'prod' && region === undefined) {
    throw contextError('region', 'a prod synth or deploy names its region (-c region=…): the region decides the partition (aws or aws-cn) and with it the portal and sign-in design');
  }
  if ((domain === undefined) !== (certificate === undefined)) {
    throw contextError(domain === undefined ? 'domain' : 'certificate', '-c domain and -c certificate go together: the portal host name and its certificate');
  }
  if ((oidcIssuer === undefined) !== (oidcClientId === undefined)) {
    throw contextError(oidcIssuer === undefined ? 'oidcIssuer' : 'oidcClientId', '-c oidcIssuer and -c oidcClientId go together');
  }
  return {
    counties: county === undefined ? available : [county],
    stage,
    env: account || region ? { account, region } : undefined,
    portalDomain: domain && certificate ? { domain, certificate } : undefined,
    oidc: oidcIssuer && oidcClientId ? { issuer: oidcIssuer, clientId: oidcClientId } : undefined,
    noAlarmEmails: noAlarmEmails === 'true',
  };
}

/** What the app checks before building a county's stack for this target: the fictional county in prod, a prod stack that alarms nobody. */
export function checkCountyForTarget(county: CountyConfig, target: DeployTarget): void {
  const file = `shared/counties/${county.id}/county.json`;
  if (target.stage === 'prod' && county.fictional) {
    throw new ConfigError(file, 'fictional', `${county.name} (${county.id}) 是虚构的演示县，不能部署到 prod / a fictional demo county never deploys to prod (use -c stage=dev)`);
  }
  if (target.stage === 'prod' && county.alarmEmails.length === 0 && !target.noAlarmEmails) {
    throw new ConfigError(
      file,
      'alarmEmails',
      '告警无人接收：请在 alarmEmails 填写接收告警的邮箱 / no one receives alarms: add addresses to alarmEmails, or, if the alarm topic is subscribed some other way after deploy, pass -c noAlarmEmails=true',
    );
  }
}

/** The -c overrides of county.json a stack receives. */
export interface DeploymentOverrides {
  portalDomain?: { domain: string; certificate: string };
  oidc?: { issuer: string; clientId: string };
}

/** A county's deployment in one partition: its sign-in and portal domain after the -c overrides. */
export interface CountyDeployment {
  officeSignIn: OfficeSignIn;
  portalDomain?: { domain: string; certificate: string };
  choices: DeploymentChoices;
}

/**
 * Refuses, before any construct exists, what the partition cannot deploy: a
 * China stack without an ICP-recorded domain or with Cognito sign-in, a
 * certificate of the other partition's kind.
 */
export function countyDeployment(county: CountyConfig, choices: DeploymentChoices, overrides: DeploymentOverrides = {}): CountyDeployment {
  const file = `shared/counties/${county.id}/county.json`;
  const officeSignIn: OfficeSignIn = overrides.oidc
    ? { ...(county.officeSignIn.provider === 'oidc' ? county.officeSignIn : OIDC_DEFAULTS), provider: 'oidc', issuer: overrides.oidc.issuer, clientId: overrides.oidc.clientId }
    : county.officeSignIn;
  if (officeSignIn.provider === 'cognito' && !choices.cognitoAvailable) {
    throw new ConfigError(
      file,
      'officeSignIn',
      `${choices.region} 没有 Cognito 用户池：请在 officeSignIn 配置本县的 OpenID Connect 身份提供方（provider "oidc"、issuer、clientId…，或 -c oidcIssuer=… -c oidcClientId=…） / Cognito user pools do not exist in ${choices.region}: configure officeSignIn with the county's OpenID provider ({"provider":"oidc","issuer":…,"clientId":…}) or pass -c oidcIssuer=… -c oidcClientId=…`,
    );
  }
  const portalDomain = overrides.portalDomain ?? county.portalDomain;
  if (choices.portalDomainRequired && portalDomain === undefined) {
    throw new ConfigError(
      file,
      'portalDomain',
      `中国区域的 CloudFront 只能用已完成 ICP 备案的域名提供服务：请给出门户域名和已上传到 IAM 的服务器证书（-c domain=<ICP备案域名> -c certificate=<IAM 服务器证书 ID>，或 county.json 的 portalDomain） / CloudFront in ${choices.region} serves only an ICP-recorded alternate domain: pass -c domain=<ICP-recorded host> -c certificate=<IAM server certificate id> (or portalDomain in county.json)`,
    );
  }
  if (portalDomain) {
    const isAcmArn = /^arn:[a-z-]+:acm:/.test(portalDomain.certificate);
    if (choices.certificateKind === 'iam' && isAcmArn) {
      throw new ConfigError(file, 'certificate', `CloudFront in China takes an IAM server certificate id (aws iam upload-server-certificate --path /cloudfront/ …), not an ACM ARN: ${portalDomain.certificate}`);
    }
    if (choices.certificateKind === 'acm' && !/^arn:[a-z-]+:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(portalDomain.certificate)) {
      throw new ConfigError(file, 'certificate', `CloudFront takes an ACM certificate ARN in us-east-1 (arn:<partition>:acm:us-east-1:<account>:certificate/<id>): ${portalDomain.certificate}`);
    }
  }
  return { officeSignIn, portalDomain, choices };
}

const OIDC_DEFAULTS = { roleClaim: 'groups', officeRoles: ['office'], viewerRoles: ['viewer'], nameClaim: 'name', scopes: ['openid', 'profile'] };

function stringOrUndefined(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'boolean' ? String(value) : value;
}
