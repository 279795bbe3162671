import type { Command } from 'commander';
import * as aggregate from './aggregate';
import * as county from './county';
import * as demo from './demo';
import * as links from './links';
import * as lock from './lock';
import * as officeUser from './office-user';
import * as replay from './replay';
import * as serve from './serve';
import * as smoke from './smoke';
import * as status from './status';
import * as template from './template';
import * as templateDoc from './template-doc';
import * as token from './token';
import * as upload from './upload';
import * as validate from './validate';

/**
 * Every command, each file registering one (or a group). A static list, not
 * a folder scan, so the CLI bundles into one file (npm run build) and a
 * command cannot be dropped by a packaging step.
 */
export const COMMANDS: readonly { register(program: Command): void }[] = [aggregate, county, demo, links, lock, officeUser, replay, serve, smoke, status, template, templateDoc, token, upload, validate];
