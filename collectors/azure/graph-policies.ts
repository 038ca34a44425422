/**
 * Microsoft Entra ID sign-in and guest policies, one tenant: Conditional Access policies with
 * security defaults (what enforces MFA, blocks legacy authentication and requires managed devices),
 * and the authorization policy (who may invite guests, what guests may read). Policy.Read.All;
 * Conditional Access also needs a Microsoft Entra ID P1 licence.
 */
import { z } from "zod";
import { authorizationPolicyEvidenceSchema, conditionalAccessPolicySchema, ENTRA_EVIDENCE } from "../../src/evidence/azure-graph.js";
import { graphCollector } from "./graph-common.js";

const CA_POLICIES = "GET /identity/conditionalAccess/policies";
const SECURITY_DEFAULTS = "GET /policies/identitySecurityDefaultsEnforcementPolicy";
const AUTHORIZATION_POLICY = "GET /policies/authorizationPolicy";

export const azureEntraAccessCollector = graphCollector({
  name: "azure.entra-access",
  kind: ENTRA_EVIDENCE.conditionalAccess,
  // Microsoft Learn, "List policies" and "Get identitySecurityDefaultsEnforcementPolicy": Policy.Read.All.
  needs: { permissions: ["Policy.Read.All"], licence: "Microsoft Entra ID P1 (Conditional Access)" },
  operations: [SECURITY_DEFAULTS, CA_POLICIES],
  async read(graph) {
    // Security defaults first: readable in every tenant, so a licence refusal names Conditional Access.
    const securityDefaults = await graph.get(
      "/policies/identitySecurityDefaultsEnforcementPolicy",
      SECURITY_DEFAULTS,
      z.object({ isEnabled: z.boolean() }).passthrough(),
    );
    const policies = await graph.list("/identity/conditionalAccess/policies", CA_POLICIES, conditionalAccessPolicySchema);
    return { securityDefaults, policies };
  },
});

export const azureEntraAuthorizationCollector = graphCollector({
  name: "azure.entra-authorization",
  kind: ENTRA_EVIDENCE.authorizationPolicy,
  // Microsoft Learn, "Get authorizationPolicy": Policy.Read.All; no licence.
  needs: { permissions: ["Policy.Read.All"] },
  operations: [AUTHORIZATION_POLICY],
  async read(graph) {
    const policy = await graph.get("/policies/authorizationPolicy", AUTHORIZATION_POLICY, authorizationPolicyEvidenceSchema.shape.policy);
    return { policy };
  },
});
