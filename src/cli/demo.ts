/**
 * `isms-agent demo`: the main job against the bundled simulated estate. It starts loopback
 * servers that speak the vendors' real wire protocols, points a config at them through the
 * endpoint overrides, and runs the agent. The collectors have no demo code paths.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DEMO_ORGANIZATION, demoEstate } from "../../test/fixtures/estates/demo.js";
import { DEMO_TENANT_ID, demoAzureEstate } from "../../test/fixtures/estates/demo-azure.js";
import { startFakeAws } from "../../test/fixtures/servers/aws.js";
import { startFakeAzure } from "../../test/fixtures/servers/azure.js";
import { DEMO_GITHUB_ORG, demoGithubOrg } from "../../test/fixtures/estates/demo-github.js";
import { startFakeGithub } from "../../test/fixtures/servers/github.js";
import { parseConfig } from "../config/load.js";
import { runCommand, type Output } from "./commands.js";

export interface DemoOptions {
  /** Where reports go; default ./out. */
  out: string;
  /** The demo's evidence store; default ./data/demo-evidence.db. */
  database: string;
  now?: () => Date;
}

export function demoConfigYaml(awsEndpoint: string, azure: { url: string; caFile: string }, githubUrl: string, options: Pick<DemoOptions, "out" | "database">): string {
  return `# Written by \`isms-agent demo\`: the agent's config, pointed at the loopback simulated estate.
organization: ${DEMO_ORGANIZATION}
database: ${JSON.stringify(resolve(options.database))}
output: ${JSON.stringify(resolve(options.out))}
sources:
  aws:
    - name: northwind
      regions: [eu-west-1, us-east-1]
      endpoint: ${awsEndpoint}
      organization:
        roleName: IsmsAgentReadOnly
      configRules:
        northwind-tls-policy: [A.8.24]
  azure:
    - name: northwind-azure
      tenantId: ${DEMO_TENANT_ID}
      subscriptions: all
      credential:
        type: access-token
        token: \${ISMS_DEMO_AZURE_TOKEN}
      endpoint: ${azure.url}
      graphEndpoint: ${azure.url}
      authorityHost: ${azure.url}
      caFile: ${JSON.stringify(azure.caFile)}
  github:
    - name: northwind-github
      org: ${DEMO_GITHUB_ORG}
      baseUrl: ${githubUrl}
      token: \${ISMS_DEMO_GITHUB_TOKEN}
checks:
  github.repo.public-visibility:
    allow: []
objectives:
  - id: mfa-enrolment
    title: All console users enrolled in MFA
    metric: mfa_enrolment
    target: 100
    deadline: 2027-03-31
    owner: CISO
    controls: [A.5.17, A.8.5]
  - id: firewall-compliance
    title: Security groups compliant with firewall rules
    metric: firewall_compliance
    target: 100
    deadline: 2027-06-30
    owner: Head of Infrastructure
    controls: [A.8.20, A.8.22]
`;
}

export async function demoCommand(options: DemoOptions, io: Output): Promise<number> {
  const now = options.now ?? (() => new Date());
  // Dummy credentials for the loopback estate: never let a user's real ones be used (or signed) here.
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTDEMO000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "demo-secret-access-key-not-a-real-one";
  delete process.env["AWS_SESSION_TOKEN"];
  delete process.env["AWS_PROFILE"];
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";

  const aws = await startFakeAws(demoEstate(now()));
  const azureEstate = demoAzureEstate();
  const azure = await startFakeAzure(azureEstate);
  process.env["ISMS_DEMO_AZURE_TOKEN"] = azureEstate.token;
  const githubOrg = demoGithubOrg();
  const github = await startFakeGithub(githubOrg, {}, now());
  process.env["ISMS_DEMO_GITHUB_TOKEN"] = githubOrg.token;
  try {
    io.err(`Simulated AWS organisation (IAM, STS, EC2, Config, Organizations) listening on ${aws.url}`);
    io.err(`Simulated Azure (ARM and Microsoft Graph over HTTPS) listening on ${azure.url}`);
    io.err(`Simulated GitHub (REST API) listening on ${github.url}`);
    const yaml = demoConfigYaml(aws.url, azure, github.url, options);
    await mkdir(resolve(options.out), { recursive: true });
    const configFile = join(resolve(options.out), "demo-config.yaml");
    await writeFile(configFile, yaml, "utf8");
    const loaded = parseConfig(yaml, configFile, process.env);
    return await runCommand(loaded, io, { progress: true, now, plan: { aws: { iam: { pollIntervalMs: 50 } } } });
  } finally {
    await aws.close();
    await azure.close();
    await github.close();
  }
}
