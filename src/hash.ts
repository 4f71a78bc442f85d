// SHA-256 with Bun's native hasher: importing node:crypto alone costs ~5 ms of start-up.

export function sha256(data: Uint8Array | string): Uint8Array {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(data);
  return hasher.digest() as Uint8Array;
}

/** The first 8 bytes of a digest as a big-endian u64. */
export function firstU64(digest: Uint8Array): bigint {
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(digest[i] ?? 0);
  return n;
}
