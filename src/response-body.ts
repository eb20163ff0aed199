// The one cap on response bodies, App Runner's (through the SDK) and GitHub's (through fetch).

import { ResponseTooLarge } from './errors.js';

export async function readCapped(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  declaredLength: string | null | undefined,
): Promise<Buffer> {
  if (Number(declaredLength ?? 0) > maxBytes) {
    await body[Symbol.asyncIterator]().return?.();
    throw new ResponseTooLarge(maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early destroys (or cancels) the stream, and with it the socket.
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new ResponseTooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
