// The shipped form of the Pyodide memory snapshot: the build's 31.5 MB of wasm memory without its
// all-zero pages (about half of it: memory CPython has not touched): 14 MB less kept on a player's
// device. Putting the zeros back is one allocation and a copy of what is left.
//
// Layout (little-endian): MAGIC, the memory's length (u32), the number of segments (u32), then each
// segment's offset and length (u32, u32), then the segments' bytes one after another.
// scripts/build_web.mjs packs; snapshot-worker.mjs unpacks, and a malformed file throws (the loader
// then boots normally).
const MAGIC = new TextEncoder().encode("schulte-sparse-1");
const PAGE = 4096;

/** The memory `bytes` (a Uint8Array) with its all-zero pages left out. */
export function pack(bytes) {
  const segments = [];
  for (let start = 0; start < bytes.length; start += PAGE) {
    const end = Math.min(start + PAGE, bytes.length);
    if (bytes.subarray(start, end).every((byte) => byte === 0)) continue;
    const last = segments.at(-1);
    if (last && last[0] + last[1] === start) last[1] += end - start;
    else segments.push([start, end - start]);
  }
  const head = MAGIC.length + 8 + segments.length * 8;
  const data = segments.reduce((sum, [, length]) => sum + length, 0);
  const out = new Uint8Array(head + data);
  const view = new DataView(out.buffer);
  out.set(MAGIC);
  view.setUint32(MAGIC.length, bytes.length, true);
  view.setUint32(MAGIC.length + 4, segments.length, true);
  let cursor = head;
  segments.forEach(([offset, length], i) => {
    view.setUint32(MAGIC.length + 8 + i * 8, offset, true);
    view.setUint32(MAGIC.length + 12 + i * 8, length, true);
    out.set(bytes.subarray(offset, offset + length), cursor);
    cursor += length;
  });
  return out;
}

/** The memory `packed` (a Uint8Array made by `pack`) stands for; throws on anything else. */
export function unpack(packed) {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const fail = (why) => {
    throw new Error(`snapshot-pack: ${why}`);  // a developer's error code, never shown to a player
  };
  if (packed.length < MAGIC.length + 8 || !MAGIC.every((byte, i) => packed[i] === byte)) fail("bad-magic");
  const total = view.getUint32(MAGIC.length, true);
  const count = view.getUint32(MAGIC.length + 4, true);
  let cursor = MAGIC.length + 8 + count * 8;
  if (cursor > packed.length) fail("truncated-index");
  const memory = new Uint8Array(total);
  for (let i = 0; i < count; i += 1) {
    const offset = view.getUint32(MAGIC.length + 8 + i * 8, true);
    const length = view.getUint32(MAGIC.length + 12 + i * 8, true);
    if (offset + length > total || cursor + length > packed.length) fail(`segment-out-of-bounds:${i}`);
    memory.set(packed.subarray(cursor, cursor + length), offset);
    cursor += length;
  }
  if (cursor !== packed.length) fail("trailing-bytes");
  return memory;
}

/** The snapshot at `url`, fetched and unpacked (snapshot-worker.mjs, and the page where no worker runs). */
export async function fetchUnpacked(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
  return unpack(new Uint8Array(await response.arrayBuffer()));
}
