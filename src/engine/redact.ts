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

/** A piece of a secret URL that looks like a credential (an id or token), not a word such as "services". */
function tokenLike(piece: string): boolean {
  if (piece.length < MIN_SECRET_LENGTH || !/^[A-Za-z0-9._~+=-]+$/.test(piece)) return false;
  return (/[A-Za-z]/.test(piece) && /\d/.test(piece)) || piece.length >= 20;
}

function safeDecode(piece: string): string {
  try {
    return decodeURIComponent(piece);
  } catch {
    return piece;
  }
}

/**
 * A Slack or Teams webhook URL is a secret as a whole, and so is each part a receiver might quote
 * back on its own: the path, its id/token segments, the query's signature values.
 */
function urlParts(secret: string): string[] {
  if (!/^https?:\/\//i.test(secret)) return [];
  let url: URL;
  try {
    url = new URL(secret);
  } catch {
    return [];
  }
  const whole = [url.pathname + url.search, url.pathname, url.password].flatMap((p) => [p, safeDecode(p)]);
  const pieces = [...url.pathname.split(/[/@;,]/).flatMap((s) => [s, safeDecode(s)]), ...url.searchParams.values()];
  return [...whole.filter((p) => p.length >= MIN_SECRET_LENGTH), ...pieces.filter(tokenLike)];
}

/**
 * The forms a secret takes when something echoes it back encoded: URL-encoded, JSON-escaped, and
 * base64 (plain and URL-safe). Base64 of a longer string that embeds the secret (SMTP AUTH PLAIN
 * sends base64("\0user\0password")) does not contain base64(secret): its bytes land on a 3-byte
 * boundary at an offset of 0, 1 or 2 bytes into the secret, so the whole 3-byte groups from each
 * of those offsets are searched for. At most two bytes at either end stay around the redaction.
 */
function encodedForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  forms.push(forms[1]?.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()) ?? secret);
  const bytes = Buffer.from(secret, "utf8");
  for (let skip = 0; skip < 3; skip++) {
    const aligned = bytes.subarray(skip, skip + Math.floor((bytes.length - skip) / 3) * 3);
    forms.push(aligned.toString("base64"), aligned.toString("base64url"));
  }
  return forms;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class Redactor {
  /** Every known secret and its derived forms, longest first, as one alternation: one pass per string. */
  private readonly pattern: RegExp | null;

  constructor(secrets: Iterable<string> = []) {
    const needles = new Set<string>();
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      for (const part of [secret, ...urlParts(secret)]) {
        for (const form of encodedForms(part)) if (form.length >= MIN_SECRET_LENGTH) needles.add(form);
      }
    }
    const sorted = [...needles].sort((a, b) => b.length - a.length);
    this.pattern = sorted.length > 0 ? new RegExp(sorted.map(escapeRegExp).join("|"), "g") : null;
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
    if (this.pattern && out.length >= MIN_SECRET_LENGTH) out = out.replace(this.pattern, REDACTED);
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
