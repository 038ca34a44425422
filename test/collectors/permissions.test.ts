import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { allCollectors } from "../../app/sources.js";

const COLLECTORS = await allCollectors();

const awsDir = fileURLToPath(new URL("../../collectors/aws/", import.meta.url));

/** Every `new XCommand(` in collectors/aws, as `service:X`, the service read from the SDK package it is imported from. */
function actionsCalledInCode(): string[] {
  const actions = new Set<string>();
  for (const file of readdirSync(awsDir).filter((f) => f.endsWith(".ts"))) {
    const source = readFileSync(join(awsDir, file), "utf8");
    const serviceOf = new Map<string, string>();
    // Static imports, and the lazy `const { … } = await loadPackage(import(…))` of clients loaded only when a job runs.
    for (const m of source.matchAll(/(?:import\s*|const\s*)\{([^}]*)\}\s*(?:from\s*|=\s*await\s+(?:loadPackage\()?import\()"@aws-sdk\/client-([a-z0-9-]+)"/g)) {
      // The IAM action prefix is not always the package name (client-config-service → config, client-sso-admin → sso).
      const service = m[2] === "config-service" ? "config" : m[2] === "sso-admin" ? "sso" : (m[2] ?? "");
      for (const name of (m[1] ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean))
        serviceOf.set(name, service);
    }
    for (const m of source.matchAll(/new\s+([A-Za-z0-9]+)Command\(/g)) {
      const service = serviceOf.get(`${m[1]}Command`);
      if (!service) throw new Error(`${file}: ${m[1]}Command is not imported from an @aws-sdk/client-* package`);
      // S3 Control's GetPublicAccessBlock is authorised as s3:GetAccountPublicAccessBlock.
      const action = `${service}:${m[1]}`;
      actions.add(action === "s3-control:GetPublicAccessBlock" ? "s3:GetAccountPublicAccessBlock" : action);
    }
  }
  return [...actions].sort();
}

describe("least-privilege permissions", () => {
  it("each AWS collector declares exactly the actions its code calls", () => {
    const declared = COLLECTORS.filter((c) => c.sourceType === "aws").flatMap((c) => c.permissions);
    expect([...new Set(declared)].sort()).toEqual(actionsCalledInCode());
  });

  it("config/permissions/aws-iam-policy.json grants every IAM-authorised action the collectors call, and nothing else", () => {
    const policy = JSON.parse(readFileSync(new URL("../../config/permissions/aws-iam-policy.json", import.meta.url), "utf8")) as {
      Statement: { Effect: string; Action: string[] }[];
    };
    const granted = policy.Statement.filter((s) => s.Effect === "Allow")
      .flatMap((s) => s.Action)
      .sort();
    // sts:GetCallerIdentity needs no permission: IAM policies cannot deny it.
    expect(granted).toEqual(actionsCalledInCode().filter((a) => a !== "sts:GetCallerIdentity"));
  });

  it("the member-account role template grants what runs inside a member account: everything but reading the organisation and assuming roles", () => {
    const text = readFileSync(new URL("../../config/permissions/aws-member-role.cfn.yaml", import.meta.url), "utf8");
    // CloudFormation's short-form tags (!Ref, !Sub) are not plain YAML: read them as strings.
    const doc = parseDocument(text, {
      customTags: [
        { tag: "!Ref", resolve: (v: string) => v },
        { tag: "!Sub", resolve: (v: string) => v },
        { tag: "!GetAtt", resolve: (v: string) => v },
      ],
    });
    const template = doc.toJS() as { Resources: Record<string, { Properties: { Policies: { PolicyDocument: { Statement: { Action: string[] }[] } }[] } }> };
    const actions = Object.values(template.Resources)
      .flatMap((r) => r.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => s.Action)))
      .sort();
    // Organizations is read only from the management account, with the agent's own identity.
    expect(actions).toEqual(actionsCalledInCode().filter((a) => !["sts:GetCallerIdentity", "sts:AssumeRole"].includes(a) && !a.startsWith("organizations:")));
  });
});

describe("Azure least privilege", () => {
  it("config/permissions/azure-role.json lists exactly the ARM actions the Azure collectors declare", () => {
    const role = JSON.parse(readFileSync(new URL("../../config/permissions/azure-role.json", import.meta.url), "utf8")) as { Actions: string[] };
    const declared = COLLECTORS.filter((c) => c.sourceType === "azure")
      .flatMap((c) => c.permissions)
      .filter((p) => p.startsWith("Microsoft."));
    expect([...role.Actions].sort()).toEqual([...new Set(declared)].sort());
  });

  it("every typed list the collector reads is covered by a declared read permission", async () => {
    const { AZURE_TYPED_LISTS } = await import("../../src/evidence/azure.js");
    const declared = new Set(COLLECTORS.flatMap((c) => c.permissions));
    for (const list of AZURE_TYPED_LISTS) expect(declared.has(`${list.type}/read`)).toBe(true);
  });
});
