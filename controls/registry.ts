/**
 * Every check, by explicit import. test/controls/registry.test.ts walks controls/checks/ and
 * fails if a file is missing here or an id differs from its path.
 */
import type { Check } from "../src/domain.js";
import awsIamAccessKeyRotation from "./checks/aws/iam/access-key-rotation.js";
import awsIamConsoleUserMfa from "./checks/aws/iam/console-user-mfa.js";
import awsIamPasswordPolicy from "./checks/aws/iam/password-policy.js";
import awsIamRootAccessKeys from "./checks/aws/iam/root-access-keys.js";
import awsIamRootMfa from "./checks/aws/iam/root-mfa.js";
import awsIamUnusedCredentials from "./checks/aws/iam/unused-credentials.js";

export const CHECKS: readonly Check[] = [
  awsIamConsoleUserMfa,
  awsIamRootMfa,
  awsIamRootAccessKeys,
  awsIamAccessKeyRotation,
  awsIamUnusedCredentials,
  awsIamPasswordPolicy,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((check) => check.id === id);
}
