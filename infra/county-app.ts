import type { App } from 'aws-cdk-lib';
import { countyDirInRepo, loadCounty } from '../shared/core/county/load';
import { CountyStack } from './county-stack';
import { checkCountyForTarget, type DeployTarget } from './deploy-target';
import { countyNames } from './names';
import { choicesForRegion } from './partition';
import { PortalEdgeStack } from './portal-edge-stack';

export interface CountyStacks {
  stack: CountyStack;
  /** The us-east-1 companion with the portal's CloudFront web ACL (global regions other than us-east-1). */
  edge?: PortalEdgeStack;
}

/**
 * The stacks of the target's counties, as `cdk synth` / `cdk deploy` build
 * them (infra/app.ts) and the tests too: the county stack and, where the
 * partition's choice puts the portal's CloudFront web ACL in us-east-1, its
 * companion, which the county stack depends on (so deploying the county
 * deploys the companion first).
 */
export function addCountyStacks(app: App, target: DeployTarget, countiesDir?: (countyId: string) => string): CountyStacks[] {
  const choices = choicesForRegion(target.env?.region);
  return target.counties.map((countyId) => {
    const county = loadCounty(countiesDir ? countiesDir(countyId) : countyDirInRepo(countyId)).config;
    checkCountyForTarget(county, target);
    const names = countyNames(county.id, target.stage);
    const edge =
      choices.portalWaf === 'cloudfront-companion'
        ? new PortalEdgeStack(app, `${names.stack}-edge`, {
            stackName: `${names.stack}-edge`,
            description: `yearly-report: ${county.id} (${target.stage}), the portal's CloudFront web ACL (us-east-1)`,
            names,
            stage: target.stage,
            account: target.env?.account,
          })
        : undefined;
    const stack = new CountyStack(app, names.stack, {
      stackName: names.stack,
      description: `yearly-report: ${county.name} (${county.id}), ${target.stage}`,
      county,
      stage: target.stage,
      env: target.env,
      overrides: { portalDomain: target.portalDomain, oidc: target.oidc },
      companionWebAclArn: edge?.webAclArn,
      crossRegionReferences: edge !== undefined,
    });
    if (edge) stack.addStackDependency(edge);
    return { stack, edge };
  });
}
