import { describe, expect, it } from "vitest";
import check from "../../../../../controls/checks/aws/s3/account-public-access-block.js";
import { S3_ACCOUNT_EVIDENCE } from "../../../../../src/evidence/aws-s3.js";
import { ACCOUNT, runCheck, stored } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const resourceId = `arn:aws:s3:::account/${ACCOUNT}/public-access-block`;
const block = (publicAccessBlock: unknown) => [stored(S3_ACCOUNT_EVIDENCE, { publicAccessBlock })];

describe("aws.s3.account-public-access-block", () => {
  it("compliant: all four settings on", () => {
    expect(runCheck(check, block({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }), now)).toEqual([
      { resourceId, status: "pass", reason: `Account ${ACCOUNT} has all four S3 Block Public Access settings on.` },
    ]);
  });

  it("non-compliant: a setting off or absent is named", () => {
    expect(runCheck(check, block({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false }), now)).toEqual([
      { resourceId, status: "fail", reason: `Account ${ACCOUNT} has S3 Block Public Access only partly on: BlockPublicPolicy, RestrictPublicBuckets are off.` },
    ]);
  });

  it("non-compliant: no configuration at all (NoSuchPublicAccessBlockConfiguration) is a fail, not an error", () => {
    expect(runCheck(check, block(null), now)).toEqual([
      {
        resourceId,
        status: "fail",
        reason: `Account ${ACCOUNT} has no account-level S3 Block Public Access configuration, so each bucket's own settings decide.`,
      },
    ]);
  });

  it("a setting that is not a boolean is an error (the schema refuses it)", () => {
    expect(() => runCheck(check, block({ BlockPublicAcls: "true" }), now)).toThrow(/not in the expected shape/);
  });
});
