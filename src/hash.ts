// SHA-256: Bun's native hasher where it runs (importing node:crypto costs ~5 ms of start-up);
// node:crypto for library users on Node.

export function sha256(data: Uint8Array | string): Uint8Array {
  if (typeof Bun !== "undefined") {
    const hasher = new Bun.CryptoHasher("sha256");
    hasher.update(data);
    return hasher.digest() as Uint8Array;
  }
  const { createHash } = process.getBuiltinModule("node:crypto");
  return new Uint8Array(createHash("sha256").update(data).digest());
}

/** The first 8 bytes of a digest as a big-endian u64. */
export function firstU64(digest: Uint8Array): bigint {
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(digest[i] ?? 0);
  return n;
}

/** The first `n` bytes (all, by default) as lower-case hex: session file names and their tags. */
export function hexOf(bytes: Uint8Array, n = bytes.length): string {
  let hex = "";
  for (let i = 0; i < n; i++) hex += (bytes[i] ?? 0).toString(16).padStart(2, "0");
  return hex;
}
