/**
 * A bound on every API answer. An endpoint that streams an endless JSON array (or a 200 MB page)
 * would otherwise grow the agent's memory until the collector times out; with the bound, the
 * collector stops reading at the source's `maxResponseMiB` and fails with the call named, and the
 * other collectors go on. Bytes are counted as they arrive, after content decoding (so a small
 * gzip bomb counts at its real size). Each SDK applies it at its transport: aws/clients.ts (an
 * HTTP handler), azure/clients.ts (a pipeline policy), github/org.ts (Octokit's fetch).
 */
import { Transform, type Readable } from "node:stream";

const MIB = 1024 * 1024;

export class AnswerTooLargeError extends Error {
  override readonly name = "AnswerTooLargeError";
  /** The sentence for reports; an SDK may append its own hints to `message`. */
  readonly summary: string;
  constructor(
    readonly maxMiB: number,
    readonly call: string,
  ) {
    const summary = `answer larger than ${maxMiB} MiB from ${call}: the collector stopped reading it (the source's maxResponseMiB)`;
    super(summary);
    this.summary = summary;
  }
}

export function maxBytes(maxMiB: number): number {
  return Math.floor(maxMiB * MIB);
}

/** The AnswerTooLargeError behind an SDK's error (they wrap what the transport threw as `cause`), if any. */
export function findTooLarge(error: unknown): AnswerTooLargeError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof AnswerTooLargeError) return current;
    current = current.cause;
  }
  return undefined;
}

/** True when a Content-Length header already announces more than the bound. */
export function declaredTooLarge(contentLength: string | null | undefined, maxMiB: number): boolean {
  const declared = Number(contentLength);
  return contentLength != null && contentLength !== "" && Number.isFinite(declared) && declared > maxBytes(maxMiB);
}

/**
 * The same bytes as `source`, failing with `tooLarge()` once more than the bound has passed. The
 * source is destroyed then, so an endless answer stops being read (and its socket is released).
 */
export function limitNodeStream(source: Readable, maxMiB: number, tooLarge: () => Error): Readable {
  const limit = maxBytes(maxMiB);
  let seen = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen <= limit) return done(null, chunk);
      const error = tooLarge();
      source.unpipe(limited);
      source.destroy();
      done(error);
    },
  });
  // A failure of the source itself (reset, abort) reaches the reader too, unless ours came first.
  source.once("error", (error) => {
    if (!limited.destroyed) limited.destroy(error);
  });
  return source.pipe(limited);
}

/** Reads a whole Node stream (already limited) into one buffer. */
export function readNodeStream(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer | string) => chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
    stream.once("end", () => resolve(Buffer.concat(chunks)));
    stream.once("error", reject);
  });
}

/** Reads a web stream (fetch's body) up to the bound; past it, cancels the stream and throws `tooLarge()`. */
export async function readWebStream(body: ReadableStream<Uint8Array>, maxMiB: number, tooLarge: () => Error): Promise<Uint8Array> {
  const limit = maxBytes(maxMiB);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
