/**
 * azure.entra.privileged-role-count, privileged-role-guests and permanent-global-admin, on role
 * assignments ($expand=principal) and PIM schedules in Graph v1.0's shapes.
 */
import { describe, expect, it } from "vitest";
import permanentGlobalAdmin from "../../../../../controls/checks/azure/entra/permanent-global-admin.js";
import roleCount from "../../../../../controls/checks/azure/entra/privileged-role-count.js";
import roleGuests from "../../../../../controls/checks/azure/entra/privileged-role-guests.js";
import type { Check, StoredEvidence } from "../../../../../src/domain.js";
import { ENTRA_EVIDENCE } from "../../../../../src/evidence/azure-graph.js";
import { stored, view } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const tenant = { source: "corp", sourceType: "azure" as const, account: "t1", region: "global" };
const GA = "62e90394-69f5-4237-9190-012177145e10";
const SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d";
const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const userPrincipal = (id: string) => ({ "@odata.type": "#microsoft.graph.user", id, displayName: id, userPrincipalName: `${id}@x.example` });
const assignment = (id: string, role: string, principal: Record<string, unknown> & { id: string }, directoryScopeId = "/") => ({
  id,
  principalId: principal.id,
  roleDefinitionId: role,
  directoryScopeId,
  principal,
});
const assignments = (...list: unknown[]) => stored(ENTRA_EVIDENCE.roleAssignments, { assignments: list }, tenant);
const users = (...list: [string, "Member" | "Guest"][]) =>
  stored(
    ENTRA_EVIDENCE.users,
    {
      users: list.map(([id, userType]) => ({
        id,
        userPrincipalName: `${id}@x.example`,
        userType,
        accountEnabled: true,
        createdDateTime: "2025-01-01T00:00:00Z",
        signInActivity: null,
      })),
    },
    tenant,
    2,
  );
const run = (check: Check, records: StoredEvidence[], settings: unknown = {}) =>
  check.evaluate({ evidence: view(records, tenant), now, settings }).map((f) => [f.resourceId, f.status, f.reason]);

describe("azure.entra.privileged-role-count", () => {
  it("compliant: two Global Administrators (a third only scoped to an administrative unit is not counted); one Security Administrator", () => {
    expect(
      run(roleCount, [
        assignments(
          assignment("a1", GA, userPrincipal("alice")),
          assignment("a2", GA, userPrincipal("bob")),
          assignment("a3", GA, userPrincipal("carol"), "/administrativeUnits/au1"),
          assignment("a4", SECURITY_ADMIN, userPrincipal("dave")),
          assignment("a5", HELPDESK, userPrincipal("erin")),
        ),
      ]),
    ).toEqual([
      ["t1/roles/62e90394-69f5-4237-9190-012177145e10", "pass", "Tenant t1 has 2 active Global Administrators (2 to 4): alice@x.example, bob@x.example."],
      ["t1/roles/194ae4cb-b126-40b2-bd5b-6091b380977d", "pass", "Role Security Administrator in tenant t1 has 1 active holder (at most 5): dave@x.example."],
    ]);
  });

  it("non-compliant: a single Global Administrator; or more than maxGlobalAdmins; or a role over maxPerRole", () => {
    expect(run(roleCount, [assignments(assignment("a1", GA, userPrincipal("alice")))])).toEqual([
      [
        "t1/roles/62e90394-69f5-4237-9190-012177145e10",
        "fail",
        "Tenant t1 has 1 active Global Administrator (alice@x.example): fewer than 2, so losing one account can lock the tenant.",
      ],
    ]);
    const many = ["a", "b", "c"].map((n) => assignment(n, GA, userPrincipal(n)));
    expect(run(roleCount, [assignments(...many)], { maxGlobalAdmins: 2 })[0]?.[2]).toBe(
      "Tenant t1 has 3 active Global Administrators, more than 2: a@x.example, b@x.example, c@x.example.",
    );
    const admins = ["a", "b"].map((n) => assignment(`s${n}`, SECURITY_ADMIN, userPrincipal(n)));
    expect(run(roleCount, [assignments(...many, ...admins)], { maxPerRole: 1 })[1]).toEqual([
      "t1/roles/194ae4cb-b126-40b2-bd5b-6091b380977d",
      "fail",
      "Role Security Administrator in tenant t1 has 2 active holders, more than 1: a@x.example, b@x.example.",
    ]);
  });
});

describe("azure.entra.privileged-role-guests", () => {
  it("compliant: members hold the privileged roles; a group and a service principal are shown, not judged; a non-privileged role is not listed", () => {
    expect(
      run(roleGuests, [
        assignments(
          assignment("a1", GA, userPrincipal("alice")),
          assignment("a2", GA, { "@odata.type": "#microsoft.graph.group", id: "g1", displayName: "IT Admins" }),
          assignment("a3", SECURITY_ADMIN, { "@odata.type": "#microsoft.graph.servicePrincipal", id: "sp1", displayName: "sentinel-automation" }),
          assignment("a4", HELPDESK, userPrincipal("partner")),
        ),
        users(["alice", "Member"], ["partner", "Guest"]),
      ]),
    ).toEqual([
      ["a1", "pass", "Global Administrator is held by alice@x.example, a member of the tenant."],
      ["a2", "not_applicable", "Global Administrator is held by group IT Admins, not a user; its members are not read."],
      ["a3", "not_applicable", "Security Administrator is held by service principal sentinel-automation, not a user; it is not a guest."],
    ]);
  });

  it("non-compliant: a guest holds Security Administrator", () => {
    expect(run(roleGuests, [assignments(assignment("a4", SECURITY_ADMIN, userPrincipal("partner"))), users(["partner", "Guest"])])).toEqual([
      ["a4", "fail", "Guest partner@x.example holds the privileged role Security Administrator."],
    ]);
  });

  it("a holder missing from the user list, or a principal of unknown type, cannot be judged (error)", () => {
    expect(() => run(roleGuests, [assignments(assignment("a1", GA, userPrincipal("ghost"))), users()])).toThrow(/is not in the collected user list/);
    expect(() => run(roleGuests, [assignments(assignment("a1", GA, { "@odata.type": "#microsoft.graph.device", id: "d" })), users()])).toThrow(/unknown type/);
  });
});

describe("azure.entra.permanent-global-admin", () => {
  const schedule = (id: string, principalId: string, assignmentType: string, expiration: Record<string, unknown>) => ({
    id,
    principalId,
    roleDefinitionId: GA,
    directoryScopeId: "/",
    status: "Provisioned",
    memberType: "Direct",
    assignmentType,
    scheduleInfo: { startDateTime: "2026-01-01T00:00:00Z", recurrence: null, expiration: { endDateTime: null, duration: null, ...expiration } },
  });
  const pim = (eligible: boolean, ...assignmentSchedules: unknown[]) =>
    stored(
      ENTRA_EVIDENCE.pimSchedules,
      {
        eligibilitySchedules: eligible ? [{ id: "e1", principalId: "bob", roleDefinitionId: GA, directoryScopeId: "/", status: "Provisioned" }] : [],
        assignmentSchedules,
      },
      tenant,
      2,
    );
  const roles = assignments(
    assignment("a1", GA, userPrincipal("alice")),
    assignment("a2", GA, userPrincipal("bob")),
    assignment("a3", GA, userPrincipal("bg")),
  );

  it("compliant: activated from PIM, or time-bound; a break-glass account named in settings is shown, not judged", () => {
    expect(
      run(
        permanentGlobalAdmin,
        [
          pim(
            true,
            schedule("s1", "bob", "Activated", { type: "afterDateTime", endDateTime: "2026-11-01T08:00:00Z" }),
            schedule("s2", "alice", "Assigned", { type: "afterDateTime", endDateTime: "2026-12-01T00:00:00Z" }),
            schedule("s3", "bg", "Assigned", { type: "noExpiration" }),
          ),
          roles,
        ],
        { breakGlassAccounts: ["bg"] },
      ),
    ).toEqual([
      ["s1", "pass", "bob@x.example holds Global Administrator just in time: the assignment was activated from a PIM eligibility."],
      ["s2", "pass", "alice@x.example holds Global Administrator on a time-bound assignment (2026-12-01T00:00:00Z)."],
      ["s3", "not_applicable", "bg@x.example is a break-glass account (breakGlassAccounts) with a permanent Global Administrator assignment by design."],
    ]);
  });

  it("non-compliant: an active assignment with no end date while PIM is in use", () => {
    expect(run(permanentGlobalAdmin, [pim(true, schedule("s1", "alice", "Assigned", { type: "noExpiration" })), roles])).toEqual([
      ["s1", "fail", "alice@x.example holds Global Administrator permanently (active, no end date) although the tenant uses PIM."],
    ]);
  });

  it("not applicable without any PIM eligibility; an undocumented assignmentType or expiration type is an error", () => {
    expect(run(permanentGlobalAdmin, [pim(false, schedule("s1", "alice", "Assigned", { type: "noExpiration" })), roles])[0]?.[1]).toBe("not_applicable");
    expect(() => run(permanentGlobalAdmin, [pim(true, schedule("s1", "alice", "assigned", { type: "noExpiration" })), roles])).toThrow(
      /undocumented assignmentType/,
    );
    expect(() => run(permanentGlobalAdmin, [pim(true, schedule("s1", "alice", "Assigned", { type: "never" })), roles])).toThrow(/undocumented expiration type/);
  });
});
