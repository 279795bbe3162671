import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { CountyStack } from '../../infra/county-stack';
import { countyNames } from '../../infra/names';
import type { Stage } from '../../infra/settings';
import type { CountyConfig } from '../../shared/core/county/schema';
import cdkJson from '../../cdk.json';
import { addCountyStacks } from '../../infra/county-app';
import { readDeployTarget } from '../../infra/deploy-target';

export interface SynthOptions {
  countyId?: string;
  stage?: Stage;
  /** Real local esbuild bundling; slow, so only the bundling test asks for it. */
  bundling?: boolean;
  outdir?: string;
}

export interface SynthesizedCounty {
  app: App;
  stack: CountyStack;
  template: Template;
}

/**
 * Builds one county stack the way infra/app.ts does, with cdk.json's feature
 * flags. Unless asked, bundling and the built-in CloudFormation validation are
 * off: they cost seconds per synth and are covered by one dedicated test.
 */
export function buildCountyApp(options: SynthOptions = {}): { app: App; stack: CountyStack } {
  const countyId = options.countyId ?? 'lingshou';
  const stage = options.stage ?? 'dev';
  const app = testApp(options);
  const county = loadCounty(countyDirInRepo(countyId)).config;
  const stack = new CountyStack(app, countyNames(countyId, stage).stack, { county, stage });
  return { app, stack };
}

/** An App like the CLI's: cdk.json's context, construct paths in metadata (the tests find resources by path). */
export function testApp(options: Pick<SynthOptions, 'bundling' | 'outdir'> = {}): App {
  return new App({
    context: {
      ...cdkJson.context,
      'aws:cdk:enable-path-metadata': true,
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
    builtinCloudFormationValidation: options.bundling ?? false,
    outdir: options.outdir,
  });
}

/** A stack for a variant of a county's config (other time zone, alarm e-mails). */
export function synthWithConfig(county: CountyConfig, stage: Stage = 'dev'): Template {
  return Template.fromStack(new CountyStack(testApp(), countyNames(county.id, stage).stack, { county, stage }));
}

export function synthCounty(options: SynthOptions = {}): SynthesizedCounty {
  const { app, stack } = buildCountyApp(options);
  return { app, stack, template: Template.fromStack(stack) };
}

/** Logical id of the one resource of a type whose construct path contains every fragment. */
export function logicalIdAt(stack: Stack, template: Template, type: string, ...pathFragments: string[]): string {
  const resources = template.findResources(type);
  const matches = Object.entries(resources).filter(([, r]) => {
    const path = (r as { Metadata?: { 'aws:cdk:path'?: string } }).Metadata?.['aws:cdk:path'] ?? '';
    return pathFragments.every((f) => path.includes(f));
  });
  if (matches.length !== 1) throw new Error(`${matches.length} ${type} resources match ${pathFragments.join(', ')} in ${stack.stackName}`);
  return matches[0]![0];
}

/** The regions every county is synthesized for: both China regions, Hong Kong (a us-east-1 companion), us-east-1 (the web ACL in the stack). */
export const CHECKED_REGIONS = ['cn-north-1', 'cn-northwest-1', 'ap-east-1', 'us-east-1'] as const;
export const TEST_ACCOUNT = '123456789012';

/** What a China deployment must be given (-c domain/certificate/oidcIssuer/oidcClientId), as the tests and .ci/run give it. */
export const CHINA_CONTEXT = {
  domain: 'report.example.gov.cn',
  certificate: 'ASCATESTSERVERCERT01',
  oidcIssuer: 'https://idp.example.gov.cn/realms/county',
  oidcClientId: 'yearly-report-portal',
} as const;

/** The -c keys a county's synth in a region takes (China adds its domain, certificate and OpenID provider). */
export function regionContext(region: string, stage: Stage = 'dev'): Record<string, string> {
  return { region, account: TEST_ACCOUNT, stage, ...(region.startsWith('cn-') ? CHINA_CONTEXT : {}) };
}

export interface RegionalSynth {
  app: App;
  stack: CountyStack;
  edge?: Stack;
  template: Template;
  edgeTemplate?: Template;
}

/** A county in a region, built by the app's own addCountyStacks from -c keys (readDeployTarget), with the CloudFormation resource validation when asked. */
export function synthInRegion(countyId: string, region: string, options: { stage?: Stage; context?: Record<string, string | undefined>; validation?: boolean; outdir?: string } = {}): RegionalSynth {
  const app = new App({
    context: { ...cdkJson.context, 'aws:cdk:enable-path-metadata': true, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: options.validation ?? false,
    outdir: options.outdir,
  });
  const context: Record<string, string | undefined> = { ...regionContext(region, options.stage), county: countyId, noAlarmEmails: 'true', ...options.context };
  const [built] = addCountyStacks(app, readDeployTarget((key) => context[key]));
  const { stack, edge } = built!;
  return { app, stack, edge, template: Template.fromStack(stack), edgeTemplate: edge ? Template.fromStack(edge) : undefined };
}

/**
 * Synthesizes the app (its validation plugins run) and returns the Control Tower findings it printed:
 * some are printed as "ERROR [CT.…]" without failing synth (nor `npx cdk synth`'s exit code), so the
 * report is read as well as the exception.
 */
export function synthAndReadControlTowerFindings(app: App): string[] {
  const printed: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
  try {
    expect(() => app.synth()).not.toThrow();
  } finally {
    spy.mockRestore();
  }
  return printed.join('\n').match(/ERROR \[CT\.[A-Z0-9.]+\][^\n]*/g) ?? [];
}
