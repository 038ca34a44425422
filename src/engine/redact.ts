/**
 * Redaction: secrets never leave memory. Every evidence payload, error message and log line
 * passes through a Redactor before it is stored or printed.
 */

export const REDACTED = "[REDACTED]";

/** Keys whose values are secrets whatever they contain. Matched case-insensitively on the whole key. */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|password|passwd|secret|client_?secret|secret_?access_?key|session_?token|access_?token|refresh_?token|id_?token|token|private_?key|api_?key|x-api-key)$/i;

/** Environment variables that commonly hold secrets, redacted even when config does not name them. */
const SECRET_ENV = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

const SECRET_QUERY = /([?&](?:token|access_token|api_key|apikey|key|secret|sig|signature|password|code|client_secret)=)[^&#\s"']+/gi;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+:[^/\s@"']+@/gi;

/** Values shorter than this are not searched for: a 3-character "secret" would redact half of every payload. */
const MIN_SECRET_LENGTH = 8;

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string> = []) {
    this.secrets = [...new Set([...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH))].sort(
      (a, b) => b.length - a.length,
    );
  }

  /** A redactor that knows the values of secret-looking environment variables plus the given ones. */
  static fromEnvironment(env: NodeJS.ProcessEnv, extra: Iterable<string> = []): Redactor {
    const values: string[] = [...extra];
    for (const [name, value] of Object.entries(env)) {
      if (value && SECRET_ENV.test(name)) values.push(value);
    }
    return new Redactor(values);
  }

  text(input: string): string {
    // Credentials in URLs (webhook tokens, signed URLs, user:password@) go whatever their value.
    // (The includes() tests only skip regexes that could not match: evidence has millions of strings.)
    let out = input.includes("=") ? input.replace(SECRET_QUERY, `$1${REDACTED}`) : input;
    if (out.includes("@")) out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** A deep copy of `value` with secret keys and known secret values replaced. */
  value<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value instanceof Uint8Array) return this.text(Buffer.from(value).toString("utf8"));
    if (value instanceof Date) return value.toISOString();
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        out[key] = SECRET_KEY.test(key) && typeof v === "string" && v !== "" ? REDACTED : this.walk(v);
      }
      return out;
    }
    return value;
  }
}
