import { describe, expect, it } from "vitest";
import { decodePolicyDocument } from "../../../../../collectors/aws/authorization.js";
import check from "../../../../../controls/checks/aws/iam/admin-policies.js";
import { AUTHORIZATION_EVIDENCE, type AuthorizationDetailsEvidence } from "../../../../../src/evidence/aws-authorization.js";
import { ACCOUNT, runCheck, stored } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const details = (d: Partial<AuthorizationDetailsEvidence>) => [
  stored(AUTHORIZATION_EVIDENCE, { users: [], groups: [], roles: [], policies: [], organizationAccounts: null, ...d }),
];
const doc = (Statement: unknown) => ({ Version: "2012-10-17", Statement });
const role = (name: string, inlinePolicies: { name: string; document: unknown }[] = [], attached: string[] = []) => ({
  name,
  arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  path: "/",
  trustPolicy: doc([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]),
  inlinePolicies,
  attachedPolicies: attached.map((arn) => ({ name: arn.split("/").pop() ?? arn, arn })),
});

describe("aws.iam.admin-policies", () => {
  it("compliant: scoped inline, customer managed and AWS managed policies", () => {
    const findings = runCheck(
      check,
      details({
        users: [
          {
            name: "dave",
            arn: `arn:aws:iam::${ACCOUNT}:user/dave`,
            groups: [],
            inlinePolicies: [],
            attachedPolicies: [{ name: "ops", arn: `arn:aws:iam::${ACCOUNT}:policy/ops` }],
          },
        ],
        roles: [
          role(
            "reader",
            [{ name: "s3", document: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) }],
            ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
          ),
        ],
        policies: [
          {
            name: "ops",
            arn: `arn:aws:iam::${ACCOUNT}:policy/ops`,
            defaultVersionId: "v2",
            versions: [
              { versionId: "v1", isDefault: false, document: doc([{ Effect: "Allow", Action: "*", Resource: "*" }]) },
              { versionId: "v2", isDefault: true, document: doc([{ Effect: "Allow", Action: ["ec2:*"], Resource: "*" }]) },
            ],
          },
        ],
      }),
      now,
    );
    expect(findings).toEqual([
      { resourceId: `arn:aws:iam::${ACCOUNT}:user/dave`, status: "pass", reason: "User dave has no policy granting every action on every resource." },
      { resourceId: `arn:aws:iam::${ACCOUNT}:role/reader`, status: "pass", reason: "Role reader has no policy granting every action on every resource." },
    ]);
  });

  it("non-compliant: AdministratorAccess through a group, and an inline `*:*` on `*` statement (URL-encoded as IAM sends it)", () => {
    const encoded = encodeURIComponent(JSON.stringify(doc([{ Effect: "Allow", Action: "*:*", Resource: ["*"] }])));
    const findings = runCheck(
      check,
      details({
        users: [{ name: "alice", arn: `arn:aws:iam::${ACCOUNT}:user/alice`, groups: ["Admins"], inlinePolicies: [], attachedPolicies: [] }],
        groups: [
          {
            name: "Admins",
            arn: `arn:aws:iam::${ACCOUNT}:group/Admins`,
            inlinePolicies: [],
            attachedPolicies: [{ name: "AdministratorAccess", arn: "arn:aws:iam::aws:policy/AdministratorAccess" }],
          },
        ],
        roles: [role("deploy", [{ name: "all", document: decodePolicyDocument(encoded) }])],
      }),
      now,
    );
    expect(findings).toEqual([
      {
        resourceId: `arn:aws:iam::${ACCOUNT}:user/alice`,
        status: "fail",
        reason: "User alice is granted every action on every resource by the AWS managed policy AdministratorAccess (through group Admins).",
      },
      {
        resourceId: `arn:aws:iam::${ACCOUNT}:role/deploy`,
        status: "fail",
        reason: "Role deploy is granted every action on every resource by inline policy all.",
      },
    ]);
  });

  it("a Deny, or an Allow limited to some resources, is not full access; a statement IAM would refuse is an error, not a pass", () => {
    const findings = runCheck(
      check,
      details({
        roles: [
          role("denied", [{ name: "d", document: doc({ Effect: "Deny", Action: "*", Resource: "*" }) }]),
          role("scoped", [{ name: "s", document: doc({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::bucket/*" }) }]),
          role("odd", [{ name: "o", document: doc({ Effect: "allow", Action: "*", Resource: "*" }) }]),
          role("text", [{ name: "t", document: "not json" }]),
        ],
      }),
      now,
    );
    expect(findings.map((f) => [f.status, f.reason])).toEqual([
      ["pass", "Role denied has no policy granting every action on every resource."],
      ["pass", "Role scoped has no policy granting every action on every resource."],
      [
        "error",
        'Role odd has policies that cannot be read (inline policy o: a statement has an Effect IAM does not define ("allow")), so its rights cannot be judged.',
      ],
      ["error", "Role text has policies that cannot be read (inline policy t: the document is not a JSON object), so its rights cannot be judged."],
    ]);
  });

  it("not applicable: an account with no users or roles", () => {
    expect(runCheck(check, details({}), now)).toEqual([
      { resourceId: `arn:aws:iam::${ACCOUNT}:root`, status: "not_applicable", reason: `Account ${ACCOUNT} has no IAM users or roles.` },
    ]);
  });

  it("the IAM API Reference's URL-encoded document decodes to the JSON it encodes", () => {
    // From the GetAccountAuthorizationDetails example response (AssumeRolePolicyDocument of an EC2 role).
    const encoded =
      "%7B%22Version%22%3A%222008-10-17%22%2C%22Statement%22%3A%5B%7B%22Sid%22%3A%22%22%2C%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
    expect(decodePolicyDocument(encoded)).toEqual({
      Version: "2008-10-17",
      Statement: [{ Sid: "", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(decodePolicyDocument("%E0%A4%A")).toBe("%E0%A4%A");
  });
});
