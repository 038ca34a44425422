/**
 * The AWS source as the app registers it (app/sources.ts loads this module only when an AWS
 * source is configured): one discovery job per source, which plans accounts and regions.
 */
import type { SourcePlugin } from "../src/collect.js";
import type { AwsSourceConfig } from "../src/config/schema.js";
import { awsAuthorizationCollector } from "./aws/authorization.js";
import { awsConfigCollector } from "./aws/config.js";
import { awsIamCollector } from "./aws/iam.js";
import { awsIdentityCenterCollector } from "./aws/identity-center.js";
import { awsInspectorCollector } from "./aws/inspector.js";
import { awsOrganizationsCollector } from "./aws/organizations.js";
import { awsS3AccountCollector } from "./aws/s3-account.js";
import { awsDiscovery, planAwsSource, type AwsPlanOptions } from "./aws/source.js";

export const source: SourcePlugin<AwsSourceConfig, AwsPlanOptions> = {
  collectors: [
    awsDiscovery,
    awsIamCollector,
    awsConfigCollector,
    awsAuthorizationCollector,
    awsS3AccountCollector,
    awsOrganizationsCollector,
    awsIdentityCenterCollector,
    awsInspectorCollector,
  ],
  plan: (config, options) => planAwsSource(config, options),
};
