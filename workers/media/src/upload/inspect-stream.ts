import { QuestlineError } from "@questline/contracts/errors";
import { SNIFF_BYTES, type SniffResult, sniff } from "./sniff";

/**
 * Reads just enough of an upload to decide its type from magic bytes, before anything is
 * written, and returns a stream that replays those bytes followed by the rest — nothing is
 * buffered beyond the first SNIFF_BYTES (or the first chunk, if larger).
 */
export async function sniffUpload(
  body: ReadableStream<Uint8Array>,
  expectedContentType?: string,
): Promise<{ sniffed: SniffResult; stream: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let buffered = 0;
  let done = false;
  while (buffered < SNIFF_BYTES) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    buffered += next.value.byteLength;
  }
  const head = concat(chunks, buffered);
  const outcome = sniff(head);
  if (!outcome.ok) {
    await reader.cancel();
    throw new QuestlineError("media.unsupported_type", outcome.reason);
  }
  if (expectedContentType && outcome.result.contentType !== expectedContentType) {
    await reader.cancel();
    throw new QuestlineError(
      "media.unsupported_type",
      `The content is ${outcome.result.contentType}, not the declared ${expectedContentType}`,
    );
  }
  let replayed = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!replayed) {
        replayed = true;
        if (head.byteLength) controller.enqueue(head);
        if (done) controller.close();
        return;
      }
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { sniffed: outcome.result, stream };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Pass-through that hashes (SHA-256, workerd's DigestStream) and counts what flows to R2,
 * failing the stream — and so the R2 write — once more than `maxBytes` went through.
 */
export class HashingCounter {
  bytes = 0;
  readonly transform: TransformStream<Uint8Array, Uint8Array>;
  private readonly digestStream = new crypto.DigestStream("SHA-256");
  private readonly writer = this.digestStream.getWriter();

  constructor(maxBytes: number) {
    this.transform = new TransformStream({
      transform: async (chunk, controller) => {
        this.bytes += chunk.byteLength;
        if (this.bytes > maxBytes) {
          controller.error(new QuestlineError("request.too_large", `The upload exceeds ${maxBytes} bytes`));
          return;
        }
        await this.writer.write(chunk);
        controller.enqueue(chunk);
      },
    });
  }

  async sha256Hex(): Promise<string> {
    await this.writer.close();
    const digest = await this.digestStream.digest;
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }
}
