/**
 * Microsoft Entra ID sign-in and guest policies, one tenant: Conditional Access policies with
 * security defaults (what enforces MFA, blocks legacy authentication and requires managed devices),
 * and the authorization policy (who may invite guests, what guests may read). Policy.Read.All;
 * Conditional Access also needs a Microsoft Entra ID P1 licence.
 */
import { z } from "zod";
import { authorizationPolicyEvidenceSchema, conditionalAccessPolicySchema, ENTRA_EVIDENCE } from "../../src/evidence/azure-graph.js";
import { graphCollector, graphRefusal, isLicenceRefusal, type GraphNeeds } from "./graph-common.js";

const CA_POLICIES = "GET /identity/conditionalAccess/policies";
const SECURITY_DEFAULTS = "GET /policies/identitySecurityDefaultsEnforcementPolicy";
const AUTHORIZATION_POLICY = "GET /policies/authorizationPolicy";

// Microsoft Learn, "List policies" and "Get identitySecurityDefaultsEnforcementPolicy": Policy.Read.All.
const ACCESS_NEEDS: GraphNeeds = { permissions: ["Policy.Read.All"], licence: "Microsoft Entra ID P1 (Conditional Access)" };

export const azureEntraAccessCollector = graphCollector({
  name: "azure.entra-access",
  kind: ENTRA_EVIDENCE.conditionalAccess,
  needs: ACCESS_NEEDS,
  operations: [SECURITY_DEFAULTS, CA_POLICIES],
  async read(graph, source) {
    // Security defaults first: readable in every tenant, so a licence refusal names Conditional Access.
    const securityDefaults = await graph.get(
      "/policies/identitySecurityDefaultsEnforcementPolicy",
      SECURITY_DEFAULTS,
      z.object({ isEnabled: z.boolean() }).passthrough(),
    );
    try {
      const policies = await graph.list("/identity/conditionalAccess/policies", CA_POLICIES, conditionalAccessPolicySchema);
      return { securityDefaults, policies };
    } catch (error) {
      // Without P1 there is no Conditional Access: security defaults are then the tenant's only
      // enforcement and still worth judging, so the refusal is recorded rather than failing both.
      if (!isLicenceRefusal(error)) throw error;
      return { securityDefaults, policies: { unlicensed: graphRefusal(error, source, CA_POLICIES, ACCESS_NEEDS) ?? CA_POLICIES } };
    }
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
