import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { definePropertyCheck } from "../../../lib/azure.js";

export default definePropertyCheck({
  id: "azure.sql.no-public-network-access",
  title: "Azure SQL servers are not reachable from public networks",
  severity: "high",
  controls: [
    {
      control: "A.8.20",
      rationale: "Networks “shall be secured, managed and controlled”: a database endpoint open to public networks can be reached from the whole internet.",
    },
    {
      control: "A.8.22",
      rationale:
        "Groups of information services “shall be segregated in the organization's networks”: with public access off, the server is reachable only through private endpoints in its own network.",
    },
  ],
  remediation: "Set public network access to Disabled on the server and reach it through a private endpoint.",
  kind: AZURE_EVIDENCE.sqlServers,
  noun: "SQL server",
  problem: (p) =>
    p["publicNetworkAccess"] === "Disabled"
      ? null
      : `allows public network access (publicNetworkAccess: ${JSON.stringify(p["publicNetworkAccess"] ?? "not set")})`,
  good: "does not allow public network access",
});
