// Carving a workspace into 16-byte aligned buffers: start(base), then take(floats) for each buffer in turn; the
// cursor after the last take is the end (from base 0: the size in bytes). Shared by ./sac.ts and ./mnm.ts.

let cursor: usize = 0;

export function start(base: usize): void {
  cursor = base;
}

/** The next buffer of `floats` 4-byte numbers. */
export function take(floats: i32): usize {
  const at = cursor;
  cursor += (((<usize>floats) << 2) + 15) & ~15;
  return at;
}

/** Where the last buffer taken ends. */
export function end(): usize {
  return cursor;
}
