import { describe, expect, it } from "vitest";
import ownerTag from "../../../../controls/checks/azure/inventory/owner-tag.js";
import diskEncryption from "../../../../controls/checks/azure/compute/disk-encryption.js";
import entraMfa from "../../../../controls/checks/azure/entra/user-mfa-registered.js";
import keyVault from "../../../../controls/checks/azure/keyvault/soft-delete-purge-protection.js";
import nsg from "../../../../controls/checks/azure/network/nsg-admin-ports-closed.js";
import sqlPublic from "../../../../controls/checks/azure/sql/no-public-network-access.js";
import sqlTls from "../../../../controls/checks/azure/sql/min-tls-1-2.js";
import httpsOnly from "../../../../controls/checks/azure/storage/https-only.js";
import storageTls from "../../../../controls/checks/azure/storage/min-tls-1-2.js";
import publicBlob from "../../../../controls/checks/azure/storage/no-public-blob-access.js";
import { parsePortSpec } from "../../../../controls/lib/azure.js";
import type { Finding } from "../../../../src/domain.js";
import { measure } from "../../../../src/engine/objectives.js";
import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { runCheck, stored, vendorFile } from "../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const recorded = (file: string) => (JSON.parse(vendorFile(`azure/${file}`)) as { value: unknown[] }).value;
const list = (kind: string, resources: unknown[]) => [stored(kind, { resources })];
const statusByName = (findings: { resourceId: string; status: string }[]) =>
  Object.fromEntries(findings.map((f) => [f.resourceId.split("/").at(-1), f.status]));

describe("azure.network.nsg-admin-ports-closed", () => {
  it("non-compliant: a real NSG allowing 22-22 from * (recorded); compliant: one opening only 80 and 8080-8086", () => {
    const findings = runCheck(
      nsg,
      list(AZURE_EVIDENCE.networkSecurityGroups, recorded("c7n_cassette_NetworkSecurityGroupTest.test_allow_single_port__nsg_list.json")),
      now,
    );
    expect(statusByName(findings)).toEqual({ "c7n-nsg": "pass", "k8s-master-C02B7042-nsg": "fail" });
    expect(findings.find((f) => f.status === "fail")?.reason).toBe(
      "Network security group test_containerservice/k8s-master-C02B7042-nsg is open to the internet: allow_ssh allows 22 from *.",
    );
  });

  it("a real estate of 43 NSGs with port lists and rules from named IPs: every group judged, none an error", () => {
    const findings = runCheck(
      nsg,
      list(AZURE_EVIDENCE.networkSecurityGroups, recorded("c7n_cassette_NetworkSecurityGroupTest.test_cidr_and_ingress_no_match__nsg_list.json")),
      now,
    );
    expect(findings).toHaveLength(43);
    expect(findings.filter((f) => f.status === "error")).toEqual([]);
  });

  it("port lists, ranges, any-port and service tags", () => {
    const rule = (name: string, props: Record<string, unknown>) => ({ name, properties: { access: "Allow", direction: "Inbound", ...props } });
    const group = (name: string, rules: unknown[]) => ({
      id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/${name}`,
      name,
      type: "Microsoft.Network/networkSecurityGroups",
      properties: { securityRules: rules },
    });
    const findings = runCheck(
      nsg,
      list(AZURE_EVIDENCE.networkSecurityGroups, [
        group("range", [rule("r", { sourceAddressPrefix: "Internet", destinationPortRanges: ["3380-3390"] })]),
        group("any", [rule("a", { sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"], destinationPortRange: "*" })]),
        group("deny", [{ name: "d", properties: { access: "Deny", direction: "Inbound", sourceAddressPrefix: "*", destinationPortRange: "22" } }]),
        group("vnet", [rule("v", { sourceAddressPrefix: "VirtualNetwork", destinationPortRange: "22" })]),
        group("broken", [rule("b", { sourceAddressPrefix: "*", destinationPortRange: "22-x" })]),
      ]),
      now,
    );
    expect(statusByName(findings)).toEqual({ range: "fail", any: "fail", deny: "pass", vnet: "pass", broken: "error" });
    expect(findings.find((f) => f.resourceId.endsWith("/any"))?.reason).toContain("a allows any port from 0.0.0.0/0");
  });

  describe("protocols: ICMP, ESP and AH carry no ports", () => {
    const rule = (name: string, props: Record<string, unknown>) => ({
      name,
      properties: { access: "Allow", direction: "Inbound", sourceAddressPrefix: "Internet", destinationPortRange: "*", ...props },
    });
    const group = (name: string, rules: unknown[]) => ({
      id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/${name}`,
      name,
      type: "Microsoft.Network/networkSecurityGroups",
      properties: { securityRules: rules },
    });
    const judge = (groups: unknown[]) => runCheck(nsg, list(AZURE_EVIDENCE.networkSecurityGroups, groups), now);

    it("compliant: Icmp, Esp and Ah rules allowing * from Internet open no port, and the sentence says so", () => {
      const findings = judge([
        group("icmp", [rule("allow-ping", { protocol: "Icmp" })]),
        group("ipsec", [rule("allow-esp", { protocol: "Esp" }), rule("allow-ah", { protocol: "AH", sourceAddressPrefix: "*" })]),
      ]);
      expect(statusByName(findings)).toEqual({ icmp: "pass", ipsec: "pass" });
      expect(findings[0]?.reason).toBe(
        "Network security group rg/icmp opens none of ports 22, 3389 to the internet; rule allow-ping allows only ICMP from Internet, which carries no ports.",
      );
      expect(findings[1]?.reason).toBe(
        "Network security group rg/ipsec opens none of ports 22, 3389 to the internet; rules allow-esp (ESP from Internet) and allow-ah (AH from *) allow only protocols that carry no ports.",
      );
    });

    it("non-compliant: Tcp 22, Udp 3389, * on any port, and a rule without a protocol (read as *)", () => {
      const findings = judge([
        group("tcp", [rule("ssh", { protocol: "Tcp", destinationPortRange: "22" }), rule("ping", { protocol: "Icmp" })]),
        group("udp", [rule("rdp-udp", { protocol: "Udp", destinationPortRange: "3389" })]),
        group("star", [rule("all", { protocol: "*" })]),
        group("absent", [rule("legacy", {})]),
        group("upper", [rule("ssh", { protocol: "TCP", destinationPortRange: "22" })]),
      ]);
      expect(statusByName(findings)).toEqual({ tcp: "fail", udp: "fail", star: "fail", absent: "fail", upper: "fail" });
      expect(findings[0]?.reason).toBe("Network security group rg/tcp is open to the internet: ssh allows 22 from Internet.");
      expect(findings[2]?.reason).toBe("Network security group rg/star is open to the internet: all allows any port from Internet.");
      expect(findings[3]?.reason).toBe("Network security group rg/absent is open to the internet: legacy allows any port from Internet.");
    });

    it("an unknown protocol is an error naming the rule and the value, not a silent pass", () => {
      const [finding] = judge([group("gre", [rule("tunnel", { protocol: "Gre" })])]);
      expect(finding).toEqual({
        resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/gre",
        status: "error",
        reason: 'Network security group rg/gre rule tunnel has protocol "Gre", which is none of Tcp, Udp, Icmp, Esp, Ah or *, so it cannot be judged.',
      });
    });
  });

  it("parses port specifications and rejects nonsense", () => {
    expect(parsePortSpec("*")).toEqual({ from: 0, to: 65535 });
    expect(parsePortSpec(" 20 - 30 ")).toEqual({ from: 20, to: 30 });
    expect(parsePortSpec("3389")).toEqual({ from: 3389, to: 3389 });
    expect(() => parsePortSpec("30-20")).toThrow(/not a valid range/);
    expect(() => parsePortSpec("70000")).toThrow(/out of range/);
    expect(() => parsePortSpec("ssh")).toThrow(/not a port/);
  });
});

describe("storage account checks on the real recorded accounts", () => {
  const accounts = recorded("c7n_cassette_StorageTest.test_storage_blob_services__storage_accounts_list.json");
  const evidence = list(AZURE_EVIDENCE.storageAccounts, accounts);

  it("azure.storage.min-tls-1-2: TLS1_0 and an unset version fail, naming why", () => {
    const findings = runCheck(storageTls, evidence, now);
    expect(findings).toHaveLength(7);
    expect(findings.find((f) => f.resourceId.endsWith("/bfsdevstorage"))?.reason).toBe("Storage account BFS-sandbox/bfsdevstorage accepts TLS 1.0.");
    expect(findings.filter((f) => f.status === "fail").length).toBe(4);
    expect(findings.some((f) => f.reason.endsWith("has no minimum TLS version set, so TLS 1.0 is accepted."))).toBe(true);
  });

  it("azure.storage.https-only and no-public-blob-access: the recorded mix", () => {
    expect(runCheck(httpsOnly, evidence, now).filter((f) => f.status === "fail")).toHaveLength(2);
    expect(runCheck(publicBlob, evidence, now).filter((f) => f.reason.endsWith("allows anonymous public access to blobs."))).toHaveLength(2);
  });
});

describe("other Azure checks", () => {
  it("azure.keyvault.soft-delete-purge-protection on the recorded vaults: only the one with purge protection passes", () => {
    const findings = runCheck(keyVault, list(AZURE_EVIDENCE.keyVaults, recorded("c7n_cassette_KeyVaultTest.test_update_access_policy__vaults_list.json")), now);
    expect(findings.map((f) => f.status).sort()).toEqual(["fail", "fail", "fail", "fail", "pass"]);
    expect(findings.some((f) => f.reason.endsWith("has soft delete turned off and has no purge protection."))).toBe(true);
  });

  it("azure.sql.*: public access and TLS", () => {
    const server = (name: string, properties: Record<string, unknown>) => ({
      id: `/subscriptions/s/resourceGroups/db/providers/Microsoft.Sql/servers/${name}`,
      name,
      type: "Microsoft.Sql/servers",
      properties,
    });
    const evidence = list(AZURE_EVIDENCE.sqlServers, [
      server("private", { publicNetworkAccess: "Disabled", minimalTlsVersion: "1.2" }),
      server("open", { publicNetworkAccess: "Enabled", minimalTlsVersion: "1.0" }),
    ]);
    expect(statusByName(runCheck(sqlPublic, evidence, now))).toEqual({ private: "pass", open: "fail" });
    expect(runCheck(sqlTls, evidence, now).find((f) => f.resourceId.endsWith("/open"))?.reason).toBe("SQL server db/open accepts TLS 1.0.");
  });

  it("azure.compute.disk-encryption", () => {
    const disk = (name: string, properties: Record<string, unknown>) => ({
      id: `/subscriptions/s/resourceGroups/vm/providers/Microsoft.Compute/disks/${name}`,
      name,
      type: "Microsoft.Compute/disks",
      properties,
    });
    const findings = runCheck(
      diskEncryption,
      list(AZURE_EVIDENCE.disks, [disk("sse", { encryption: { type: "EncryptionAtRestWithPlatformKey" } }), disk("none", {})]),
      now,
    );
    expect(statusByName(findings)).toEqual({ sse: "pass", none: "fail" });
  });

  it("azure.inventory.owner-tag on the real recorded inventory: untagged resources fail; tag names are case-insensitive and configurable", () => {
    const resources = (
      recorded("c7n_cassette_ArmResourceTest.common__resources_list.json") as {
        id: string;
        name: string;
        type: string;
        location?: string;
        tags?: Record<string, string>;
      }[]
    ).map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      location: r.location ?? null,
      tags: r.tags ?? {},
    }));
    const evidence = list(AZURE_EVIDENCE.inventory, resources);
    expect(runCheck(ownerTag, evidence, now).every((f) => f.status === "fail")).toBe(true);
    const tagged = list(AZURE_EVIDENCE.inventory, [
      { id: "/subscriptions/s/resourceGroups/rg/providers/X/y/z", name: "z", type: "X/y", location: null, tags: { Owner: "me", Tier: "internal" } },
    ]);
    expect(runCheck(ownerTag, tagged, now, { classificationTag: "tier" })[0]?.status).toBe("pass");
  });

  describe("azure.entra.user-mfa-registered", () => {
    const users = [
      { id: "1", userPrincipalName: "admin@x.example", isAdmin: true, isMfaRegistered: false, userType: "member" },
      { id: "2", userPrincipalName: "user@x.example", isAdmin: false, isMfaRegistered: true, userType: "member" },
      { id: "3", userPrincipalName: "guest@x.example", isAdmin: false, isMfaRegistered: false, userType: "guest" },
    ];
    const evidence = [stored(AZURE_EVIDENCE.registrationDetails, { users })];
    const registered =
      "User user@x.example is registered for MFA; registration shows a second factor is enrolled, not that sign-ins require it (Conditional Access enforces that).";

    it("administrators named as such; a registration pass says it is enrolment, not enforcement; a guest is not_applicable, saying why", () => {
      expect(runCheck(entraMfa, evidence, now)).toEqual([
        { resourceId: "1", status: "fail", reason: "Administrator admin@x.example is not registered for MFA." },
        { resourceId: "2", status: "pass", reason: registered },
        {
          resourceId: "3",
          status: "not_applicable",
          reason:
            "Guest user guest@x.example is not judged: a guest's MFA may be enforced by their home tenant, which this tenant's registration details do not show (set includeGuests to judge guests).",
        },
      ]);
    });

    it("with includeGuests, a guest is judged like a member", () => {
      expect(runCheck(entraMfa, evidence, now, { includeGuests: true }).map((f) => [f.resourceId, f.status])).toEqual([
        ["1", "fail"],
        ["2", "pass"],
        ["3", "fail"],
      ]);
    });

    it("guests shown as not_applicable leave the MFA objective as it was: 1 of 2 members", () => {
      const scope = { source: "corp", sourceType: "azure" as const, account: "tenant", region: "global" };
      const findings = runCheck(entraMfa, evidence, now).map((f): Finding => ({
        ...scope,
        checkId: entraMfa.id,
        resourceId: f.resourceId,
        status: f.status,
        reason: f.reason,
        evidenceSha256: null,
        controls: null,
      }));
      expect(findings.map((f) => f.status)).toContain("not_applicable");
      const objective = { id: "mfa", title: "MFA", metric: "mfa_enrolment", target: 100, deadline: "2027-01-01", owner: "CISO", controls: [] };
      expect(measure(objective, findings, [], now)).toMatchObject({ numerator: 1, denominator: 2, value: 50, errors: 0 });
    });

    it("maps to A.8.5 (secure authentication) first; A.5.17 only for registered methods as allocated authentication information", () => {
      expect(entraMfa.controls.map((c) => c.control)).toEqual(["A.8.5", "A.5.17"]);
      expect(entraMfa.controls[1]?.rationale).toMatch(/allocating and managing authentication information/);
      expect(entraMfa.controls[0]?.rationale).toMatch(/not that sign-ins require it/);
    });
  });
});
