/**
 * GitHub, one organization: its settings, members (and those without 2FA), owners, outside
 * collaborators, webhooks, Actions policy, installed GitHub Apps, open code scanning and secret
 * scanning alerts (one org-level listing each, not per repository), and for every repository its
 * protection, rulesets, webhooks, deploy keys, Dependabot alerts, outside collaborators,
 * environments and latest code scanning analysis. Each answer is stored as GitHub gave it (all
 * pages of a list concatenated; the runner redacts before storing); the checks pick what they
 * judge, so a new check can read evidence already stored. Repositories are read page by page as
 * they arrive, with bounded concurrency; rate limits are waited out up to a configured maximum.
 * A part the token may not read is recorded as unavailable, naming the permission. Never judges.
 *
 * Left out for secrecy: the `secret` of each secret scanning alert (the leaked credential itself,
 * in clear) is removed before the answer leaves the collector. GitHub masks webhook secrets
 * ("********", and the runner redacts the `secret` key and token-like URL query values anyway);
 * deploy keys are public keys.
 */
import { readFileSync } from "node:fs";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import pLimit from "p-limit";
import { z } from "zod";
import type { GithubSourceConfig } from "../../src/config/schema.js";
import type { Evidence } from "../../src/domain.js";
import { CollectorError } from "../../src/errors.js";
import { GITHUB_EVIDENCE, orgEvidenceSchema, type RepoEvidence, type Unavailable } from "../../src/evidence/github.js";
import { AnswerTooLargeError, declaredTooLarge, findTooLarge, readWebStream } from "../answer-size.js";
import { evidenceFor, type CollectorDefinition } from "../types.js";
import { pace, rateLimitWaitSeconds, type PacingOptions } from "./pacing.js";

export const GITHUB_COLLECTOR = "github.org";

/** What each endpoint needs, for the message when it is refused. */
/** The item type of a list that may instead be unavailable. */
type ItemOf<L> = Exclude<L, Unavailable> extends readonly (infer I)[] ? I : never;

const NEEDS = {
  twoFactor: "an organization owner's token (classic scope admin:org, or the App permission Members: read with an owner installation)",
  owners: "the Members: read permission (classic scope read:org)",
  outside: "the Members: read permission (classic scope read:org)",
  orgHooks: "the Webhooks: read organization permission (classic scope admin:org_hook)",
  protection: "the Administration: read repository permission (classic scope repo)",
  rules: "the Metadata: read repository permission",
  repoHooks: "the Webhooks: read repository permission (classic scope admin:repo_hook)",
  keys: "the Administration: read repository permission (classic scope repo)",
  vulnerabilityAlerts: "the Administration: read repository permission (classic scope repo)",
  dependabot: "the Dependabot alerts: read repository permission (classic scope security_events)",
  collaborators: "the Metadata: read repository permission with push access (classic scope repo)",
  actions: "the Administration: read organization permission (classic scope admin:org)",
  codeScanning:
    "the Code scanning alerts: read repository permission as an organization owner or security manager (classic scope security_events), and code scanning enabled (GitHub Code Security or Advanced Security for private repositories)",
  secretScanning:
    "the Secret scanning alerts: read repository permission as an organization owner or security manager (classic scope security_events), and secret scanning enabled (GitHub Secret Protection or Advanced Security for private repositories)",
  installations: "the Administration: read organization permission as an organization owner (classic scope read:org)",
  rulesets: "the Metadata: read repository permission (classic scope repo)",
  environments:
    "the Actions: read repository permission (classic scope repo), and environments, which private repositories have on GitHub Team or Enterprise only",
  codeScanningAnalyses:
    "the Code scanning alerts: read repository permission (classic scope security_events), and GitHub Code Security or Advanced Security for a private repository",
} as const;

type Client = Octokit;

export interface GithubOrgOptions {
  source: GithubSourceConfig;
  /** Waits out rate limits and retry backoff; default a real timer (see pace). */
  sleep?: PacingOptions["sleep"];
}

function client(source: GithubSourceConfig, signal: AbortSignal, sleep?: PacingOptions["sleep"]): Client {
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const auth = source.app
    ? {
        authStrategy: createAppAuth,
        auth: {
          appId: Number(source.app.appId),
          installationId: Number(source.app.installationId),
          privateKey: source.app.privateKey ?? readFileSync(source.app.privateKeyPath ?? "", "utf8"),
        },
      }
    : { auth: source.token };
  const octokit = new Octokit({
    ...auth,
    baseUrl: source.baseUrl.replace(/\/+$/, ""),
    userAgent: "isms-agent",
    log: quiet,
    request: { signal, fetch: boundedFetch(source.maxResponseMiB) },
  });
  // Rate limits waited out up to the configured maximum; 5xx and network errors retried. Client
  // errors (a missing permission, an empty repository) are answers and are not retried.
  pace(octokit, { maxRateLimitWaitSeconds: source.maxRateLimitWaitSeconds, signal, sleep });
  // Octokit hands back a JSON body it cannot parse (malformed, or cut off mid-transfer) as a
  // string, even "". Such an answer is a failure, never data.
  octokit.hook.after("request", (response, options) => {
    const type = String(response.headers["content-type"] ?? "");
    if (response.status !== 204 && response.status !== 205 && /json/i.test(type) && typeof response.data === "string") {
      const path = new URL(String(options.url), "https://api.github.invalid").pathname;
      throw new MalformedGithubAnswer(
        `${String(options.method)} ${decodeURIComponent(path)} answered with a body that is not valid JSON (malformed or cut off)`,
      );
    }
  });
  return octokit;
}

class MalformedGithubAnswer extends Error {}

/**
 * fetch, with each answer's body read up to the bound before Octokit sees it. Octokit swallows an
 * error while reading a body (it hands back "" as the data), so the bound is enforced here, where
 * the error can still reach the caller; the pacing hook does not retry it.
 */
export function boundedFetch(maxMiB: number): typeof fetch {
  return async (input, init) => {
    // Each request gets a signal of its own, linked to the collector's for as long as the request
    // runs: undici adds an abort listener per request to the signal it is given and drops it only
    // when the request is garbage collected, so one long-lived signal shared by thousands of
    // requests collects listeners and every new request scans them all (quadratic CPU).
    const outer = init?.signal ?? undefined;
    if (!outer) return bounded(await fetch(input, init), input, init, maxMiB);
    const own = new AbortController();
    const forward = () => own.abort(outer.reason);
    if (outer.aborted) forward();
    else outer.addEventListener("abort", forward, { once: true });
    try {
      return await bounded(await fetch(input, { ...init, signal: own.signal }), input, init, maxMiB);
    } finally {
      outer.removeEventListener("abort", forward);
    }
  };
}

/** The answer with its body read (within the bound) before it is handed on. */
async function bounded(response: Response, input: Parameters<typeof fetch>[0], init: RequestInit | undefined, maxMiB: number): Promise<Response> {
  if (!response.body) return response;
  const url = new URL(response.url || (input instanceof Request ? input.url : String(input)));
  const tooLarge = () => new AnswerTooLargeError(maxMiB, `${init?.method ?? "GET"} ${decodeURIComponent(url.pathname)}`);
  if (declaredTooLarge(response.headers.get("content-length"), maxMiB)) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge();
  }
  let body: Uint8Array | ReadableStream<Uint8Array>;
  try {
    body = await readWebStream(response.body, maxMiB, tooLarge);
  } catch (error) {
    if (error instanceof AnswerTooLargeError || init?.signal?.aborted) throw error;
    // Cut off mid-transfer: hand Octokit a body that fails the same way, as before the bound
    // (the hook above reports it as a malformed or cut-off answer).
    body = new ReadableStream({ start: (controller) => controller.error(error) });
  }
  const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  // Pagination compares page URLs (onceEach), so the copy keeps the original's.
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

/** Errors that fail the collector, never to be recorded as a part the token may not read. */
function mustFail(error: unknown, maxWait: number): boolean {
  return error instanceof MalformedGithubAnswer || findTooLarge(error) !== undefined || rateLimitMessage(error, maxWait) !== undefined;
}

function status(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

/**
 * A rate limit that was not waited out (it resets later than the maximum wait): a failure of the
 * collector, never to be mistaken for a missing permission. Returns the message for it, or undefined.
 */
function rateLimitMessage(error: unknown, maxWait: number): string | undefined {
  return rateLimitWaitSeconds(error) === undefined
    ? undefined
    : `GitHub's rate limit did not reset within the ${maxWait} s the collector may wait (maxRateLimitWaitSeconds): ${(error as Error).message}`;
}

export const githubOrgCollector: CollectorDefinition<GithubOrgOptions> = {
  name: GITHUB_COLLECTOR,
  sourceType: "github",
  produces: Object.values(GITHUB_EVIDENCE),
  permissions: [
    "GET /orgs/{org}",
    "GET /orgs/{org}/members",
    "GET /orgs/{org}/outside_collaborators",
    "GET /orgs/{org}/hooks",
    "GET /orgs/{org}/repos",
    "GET /repos/{owner}/{repo}/branches/{branch}/protection",
    "GET /repos/{owner}/{repo}/rules/branches/{branch}",
    "GET /repos/{owner}/{repo}/hooks",
    "GET /repos/{owner}/{repo}/keys",
    "GET /repos/{owner}/{repo}/vulnerability-alerts",
    "GET /repos/{owner}/{repo}/dependabot/alerts",
    "GET /repos/{owner}/{repo}/collaborators",
    "GET /orgs/{org}/actions/permissions",
    "GET /orgs/{org}/actions/permissions/workflow",
    "GET /orgs/{org}/code-scanning/alerts",
    "GET /orgs/{org}/secret-scanning/alerts",
    "GET /orgs/{org}/installations",
    "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}",
    "GET /repos/{owner}/{repo}/environments",
    "GET /repos/{owner}/{repo}/code-scanning/analyses",
  ],
  async collect({ source, sleep }, context) {
    const gh = client(source, context.signal, sleep);
    const org = source.org;
    const fail = (apiCall: string, error: unknown): never => {
      const code = status(error);
      const message =
        findTooLarge(error)?.summary ??
        rateLimitMessage(error, source.maxRateLimitWaitSeconds) ??
        (code === 401
          ? "the token or app credentials were rejected (HTTP 401)"
          : code === 404
            ? `organization ${org} was not found, or the token cannot see it (HTTP 404)`
            : error instanceof Error
              ? `${code ? `HTTP ${code}: ` : ""}${error.message}`
              : String(error));
      throw new CollectorError({ collector: GITHUB_COLLECTOR, source: source.name, account: org, region: "global", apiCall }, message, { cause: error });
    };
    /** A list endpoint, all pages; a refusal becomes `unavailable` naming the permission. */
    const listOrUnavailable = async <T>(route: string, params: Record<string, unknown>, needs: string): Promise<T[] | Unavailable> => {
      try {
        const items: T[] = [];
        for await (const page of onceEach(route, gh.paginate.iterator(route, { ...params, per_page: 100 }))) items.push(...(page.data as T[]));
        return items;
      } catch (error) {
        if (mustFail(error, source.maxRateLimitWaitSeconds)) throw error;
        const code = status(error);
        if (code === 403 || code === 404 || code === 422) return { unavailable: `${route} was refused (HTTP ${code}): it needs ${needs}` };
        throw error;
      }
    };
    /** One object; a refusal becomes `unavailable` naming the permission. */
    const getOrUnavailable = async (route: string, params: Record<string, unknown>, needs: string): Promise<unknown> => {
      try {
        return (await gh.request(route, params)).data;
      } catch (error) {
        if (mustFail(error, source.maxRateLimitWaitSeconds)) throw error;
        const code = status(error);
        if (code === 403 || code === 404) return { unavailable: `${route} was refused (HTTP ${code}): it needs ${needs}` };
        throw error;
      }
    };
    const evidence = evidenceFor({ source: source.name, sourceType: "github", account: org, region: "global" }, context);

    const orgAnswer = await gh.request("GET /orgs/{org}", { org }).catch((e: unknown) => fail("GET /orgs/{org}", e));
    // Checked only to fail early on an answer that is not an organization; stored as given.
    const orgData = orgEvidenceSchema.safeParse(orgAnswer.data);
    if (!orgData.success) return fail("GET /orgs/{org}", new Error(`the answer is not an organization: ${z.prettifyError(orgData.error)}`));
    const out: Evidence[] = [evidence(GITHUB_EVIDENCE.org, "GET /orgs/{org}", orgAnswer.data)];

    try {
      const members = await listOrUnavailable("GET /orgs/{org}/members", { org }, NEEDS.owners);
      if (!Array.isArray(members)) fail("GET /orgs/{org}/members", new Error(members.unavailable));
      out.push(
        evidence(GITHUB_EVIDENCE.members, "GET /orgs/{org}/members", {
          members,
          owners: await listOrUnavailable("GET /orgs/{org}/members", { org, role: "admin" }, NEEDS.owners),
          twoFactorDisabled: await listOrUnavailable("GET /orgs/{org}/members", { org, filter: "2fa_disabled" }, NEEDS.twoFactor),
        }),
      );
      out.push(
        evidence(GITHUB_EVIDENCE.outsideCollaborators, "GET /orgs/{org}/outside_collaborators", {
          collaborators: await listOrUnavailable("GET /orgs/{org}/outside_collaborators", { org }, NEEDS.outside),
        }),
      );
      out.push(
        evidence(GITHUB_EVIDENCE.orgHooks, "GET /orgs/{org}/hooks", { hooks: await listOrUnavailable("GET /orgs/{org}/hooks", { org }, NEEDS.orgHooks) }),
      );

      out.push(
        evidence(GITHUB_EVIDENCE.actionsPolicy, "GET /orgs/{org}/actions/permissions (+ /workflow)", {
          permissions: await getOrUnavailable("GET /orgs/{org}/actions/permissions", { org }, NEEDS.actions),
          workflow: await getOrUnavailable("GET /orgs/{org}/actions/permissions/workflow", { org }, NEEDS.actions),
        }),
      );
      out.push(
        evidence(GITHUB_EVIDENCE.installations, "GET /orgs/{org}/installations", {
          installations: await listOrUnavailable("GET /orgs/{org}/installations", { org }, NEEDS.installations),
        }),
      );
      // Open alerts only, for the whole organization in one listing (closed ones grow with history and no check reads them).
      out.push(
        evidence(GITHUB_EVIDENCE.codeScanningAlerts, "GET /orgs/{org}/code-scanning/alerts?state=open", {
          alerts: await listOrUnavailable("GET /orgs/{org}/code-scanning/alerts", { org, state: "open" }, NEEDS.codeScanning),
        }),
      );
      const secretAlerts = await listOrUnavailable<Record<string, unknown>>(
        "GET /orgs/{org}/secret-scanning/alerts",
        { org, state: "open" },
        NEEDS.secretScanning,
      );
      out.push(
        evidence(GITHUB_EVIDENCE.secretScanningAlerts, "GET /orgs/{org}/secret-scanning/alerts?state=open", {
          alerts: Array.isArray(secretAlerts) ? secretAlerts.map(withoutSecret) : secretAlerts,
        }),
      );

      const limit = pLimit(source.concurrency);
      const repos: Promise<RepoEvidence>[] = [];
      // Page by page: each repository's details start as soon as its page arrives.
      for await (const page of onceEach("GET /orgs/{org}/repos", gh.paginate.iterator("GET /orgs/{org}/repos", { org, type: "all", per_page: 100 }))) {
        for (const repo of page.data) {
          const details = limit(() => repoDetails(gh, org, repo, listOrUnavailable, source.maxRateLimitWaitSeconds));
          // Awaited below; if paging fails first, this keeps a later rejection from going unhandled.
          details.catch(() => undefined);
          repos.push(details);
        }
      }
      out.push(evidence(GITHUB_EVIDENCE.repos, "GET /orgs/{org}/repos (+ per-repository settings)", { repos: await Promise.all(repos) }));
    } catch (error) {
      if (error instanceof CollectorError) throw error;
      fail("GET /orgs/{org}/...", error);
    }
    return out;
  },
};

/** What the collector itself reads of a listed repository, to know which calls to make. */
interface RepoSummary {
  name: string;
  archived?: boolean;
  default_branch?: string | null;
}

async function repoDetails(
  gh: Client,
  owner: string,
  repository: RepoSummary,
  listOrUnavailable: <T>(route: string, params: Record<string, unknown>, needs: string) => Promise<T[] | Unavailable>,
  maxWait: number,
): Promise<RepoEvidence> {
  // The listing's entry as GitHub gave it (the schema's type names the fields the checks read).
  const listed = repository as RepoEvidence["repository"];
  const defaultBranch = repository.default_branch ?? null;
  const skipped = { unavailable: "not read: the repository is archived" };
  // An archived repository is read-only and every check says not_applicable for it: its seven reads are not made.
  if (repository.archived === true) {
    return {
      repository: listed,
      empty: false,
      protection: skipped,
      rules: skipped,
      hooks: skipped,
      deployKeys: skipped,
      vulnerabilityAlertsEnabled: skipped,
      dependabotAlerts: skipped,
      collaborators: skipped,
      rulesets: skipped,
      environments: skipped,
      codeScanningAnalyses: skipped,
    };
  }
  const params = { owner, repo: repository.name };
  const refused = (route: string, code: number | undefined, needs: string): Unavailable => ({
    unavailable: `${route} was refused (HTTP ${code ?? "?"}): it needs ${needs}`,
  });

  let empty = defaultBranch === null;
  let protection: RepoEvidence["protection"] = null;
  let rules: RepoEvidence["rules"] = [];
  if (defaultBranch) {
    try {
      protection = (await gh.request("GET /repos/{owner}/{repo}/branches/{branch}/protection", { ...params, branch: defaultBranch })).data;
    } catch (error) {
      if (mustFail(error, maxWait)) throw error;
      const code = status(error);
      const message = (error as Error).message;
      // 404 "Branch not protected" is an answer; "Branch not found" means an empty repository.
      if (code === 404 && /not found/i.test(message)) empty = true;
      else if (code !== 404) protection = refused("GET /repos/{owner}/{repo}/branches/{branch}/protection", code, NEEDS.protection);
    }
    if (!empty)
      rules = await listOrUnavailable<ItemOf<RepoEvidence["rules"]>>(
        "GET /repos/{owner}/{repo}/rules/branches/{branch}",
        { ...params, branch: defaultBranch },
        NEEDS.rules,
      );
  }

  let vulnerabilityAlertsEnabled: RepoEvidence["vulnerabilityAlertsEnabled"];
  try {
    await gh.request("GET /repos/{owner}/{repo}/vulnerability-alerts", params);
    vulnerabilityAlertsEnabled = true;
  } catch (error) {
    if (mustFail(error, maxWait)) throw error;
    const code = status(error);
    vulnerabilityAlertsEnabled = code === 404 ? false : refused("GET /repos/{owner}/{repo}/vulnerability-alerts", code, NEEDS.vulnerabilityAlerts);
  }

  // Open alerts of every severity (the checks decide which have an SLA). Closed ones are not
  // asked for: they grow with the repository's whole history, and no check reads them.
  const dependabotAlerts = await listOrUnavailable("GET /repos/{owner}/{repo}/dependabot/alerts", { ...params, state: "open" }, NEEDS.dependabot);
  // Who may bypass the rules is not in the rules themselves: each ruleset that applies is read once.
  let rulesets: RepoEvidence["rulesets"] = [];
  if (Array.isArray(rules)) {
    const ids = [...new Set(rules.map((r) => (r as { ruleset_id?: unknown }).ruleset_id).filter((id): id is number => typeof id === "number"))];
    try {
      const read: NonNullable<RepoEvidence["rulesets"]> = [];
      for (const id of ids) read.push((await gh.request("GET /repos/{owner}/{repo}/rulesets/{ruleset_id}", { ...params, ruleset_id: id })).data);
      rulesets = read;
    } catch (error) {
      if (mustFail(error, maxWait)) throw error;
      rulesets = refused("GET /repos/{owner}/{repo}/rulesets/{ruleset_id}", status(error), NEEDS.rulesets);
    }
  }
  // No org-level listing says whether a repository is scanned (the alert listing shows only
  // repositories with open alerts), so one request per repository: its latest analysis.
  let codeScanningAnalyses: RepoEvidence["codeScanningAnalyses"] = { unavailable: "not read: the repository is empty" };
  if (!empty) {
    try {
      codeScanningAnalyses = (await gh.request("GET /repos/{owner}/{repo}/code-scanning/analyses", { ...params, per_page: 1 })).data;
    } catch (error) {
      if (mustFail(error, maxWait)) throw error;
      const code = status(error);
      // 404 "no analysis found": code scanning has never run on it.
      codeScanningAnalyses =
        code === 404 && /no analysis/i.test((error as Error).message)
          ? []
          : refused("GET /repos/{owner}/{repo}/code-scanning/analyses", code, NEEDS.codeScanningAnalyses);
    }
  }
  // Environments are listed nowhere else: one listing per repository (usually one page).
  const environments = await listOrUnavailable<ItemOf<RepoEvidence["environments"]>>("GET /repos/{owner}/{repo}/environments", params, NEEDS.environments);
  // Outside collaborators only (members are judged through the organization), each with their rights.
  const collaborators = await listOrUnavailable("GET /repos/{owner}/{repo}/collaborators", { ...params, affiliation: "outside" }, NEEDS.collaborators);
  return {
    repository: listed,
    empty,
    protection,
    rules,
    hooks: await listOrUnavailable<ItemOf<RepoEvidence["hooks"]>>("GET /repos/{owner}/{repo}/hooks", params, NEEDS.repoHooks),
    deployKeys: await listOrUnavailable<ItemOf<RepoEvidence["deployKeys"]>>("GET /repos/{owner}/{repo}/keys", params, NEEDS.keys),
    vulnerabilityAlertsEnabled,
    dependabotAlerts: dependabotAlerts as RepoEvidence["dependabotAlerts"],
    collaborators: collaborators as RepoEvidence["collaborators"],
    rulesets,
    environments,
    codeScanningAnalyses,
  };
}

/** A secret scanning alert without the leaked secret itself (GitHub gives it in clear). */
function withoutSecret(alert: Record<string, unknown>): Record<string, unknown> {
  const { secret: _secret, ...kept } = alert;
  return kept;
}

/** Octokit follows Link headers as given; a page that links to itself would never end, so stop on a repeat. */
async function* onceEach<P extends { url: string }>(what: string, iterator: AsyncIterable<P>): AsyncGenerator<P> {
  const seen = new Set<string>();
  for await (const page of iterator) {
    if (seen.has(page.url)) throw new Error(`${what}: the API linked to a page it had already given (${page.url}), so paging would never end`);
    seen.add(page.url);
    yield page;
  }
}
