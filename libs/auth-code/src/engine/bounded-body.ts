/**
 * Reads a fetch response's body as UTF-8 text, counting its bytes as they stream in — after
 * decompression, since `fetch` inflates `content-encoding: gzip/deflate/br` inside the stream —
 * and stops at `maxBytes`: then `abort` is called (so the connection is torn down and the upstream
 * sends no more) and the result is `undefined`. Memory stays at `maxBytes` plus one chunk, whatever
 * the upstream sends (a 1 MB gzip bomb of 1 GiB, an endless body; issue 9, hole 2).
 */
export async function readBoundedBody(
  res: Response,
  maxBytes: number,
  abort: () => void,
): Promise<string | undefined> {
  // content-length counts encoded bytes, which never exceed the decoded ones: refuse at once.
  const declared = Number(res.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) return stop(res, abort);
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      abort();
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

async function stop(res: Response, abort: () => void): Promise<undefined> {
  abort();
  await res.body?.cancel().catch(() => undefined);
  return undefined;
}
