/**
 * The few named errors of isms-agent. They carry context; the CLI's main turns them into
 * messages and exit codes in one place (exitCodeFor / describeError).
 */

export const EXIT = {
  ok: 0,
  runFailed: 1,
  usage: 2,
  threshold: 3,
} as const;

export interface ConfigIssue {
  /** Dotted path of the field, e.g. "sources.aws[0].regions". */
  path: string;
  message: string;
}

/** The config (or its file) is wrong. Lists every problem, not only the first. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(
      `${file}: ${issues.length === 1 ? "1 problem" : `${issues.length} problems`}\n` +
        issues.map((i) => `  - ${i.path ? `${i.path}: ` : ""}${i.message}`).join("\n"),
      options,
    );
  }
}

/** The command line itself is wrong (unknown run id, bad flag value). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface CollectorContext {
  collector: string;
  source: string;
  account?: string;
  region?: string;
  apiCall?: string;
}

/** One collector failed. Only that collector's checks become `error`; the run goes on. */
export class CollectorError extends Error {
  override readonly name = "CollectorError";
  constructor(
    readonly context: CollectorContext,
    message: string,
    options?: { cause?: unknown },
  ) {
    const where = [
      `source ${context.source}`,
      context.account ? `account ${context.account}` : undefined,
      context.region ? `region ${context.region}` : undefined,
      context.apiCall ? `${context.apiCall}` : undefined,
    ]
      .filter(Boolean)
      .join(", ");
    super(`${context.collector} (${where}): ${message}`, options);
  }
}

/** The evidence store cannot be opened, read or written. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

/** The run itself could not complete (as opposed to one collector failing). */
export class RunError extends Error {
  override readonly name = "RunError";
}

/** Stored evidence does not match its recorded hashes. */
export class IntegrityError extends Error {
  override readonly name = "IntegrityError";
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError || error instanceof UsageError) return EXIT.usage;
  return EXIT.runFailed;
}

export function describeError(error: unknown): string {
  if (error instanceof ConfigError) return `Configuration error in ${error.message}`;
  if (error instanceof UsageError) return `Usage error: ${error.message}`;
  if (error instanceof StoreError) return `Evidence store error: ${error.message}${causeText(error)}`;
  if (error instanceof IntegrityError) return `Integrity check failed: ${error.message}`;
  if (error instanceof Error) return `${error.message}${causeText(error)}`;
  return String(error);
}

/** The cause's message, when it adds something the error's own message does not say. */
export function causeText(error: Error): string {
  const cause = error.cause;
  if (cause instanceof Error && !error.message.includes(cause.message)) return ` (${cause.name}: ${cause.message})`;
  return "";
}
