/**
 * The one way a message shows what the user gave: every error that echoes user input (a map's cell, a config
 * value, a sweep key, an env's seed or action) goes through showChar, showText or showValue, so that
 * - an invisible or control character is named, never printed raw: `U+FEFF (byte-order mark)`, `U+0009 (tab)`;
 * - text is counted in code points (an emoji is one character, as in an editor's column), and a long value is
 *   cut to SHOW_MAX characters with its full length said;
 * - a non-finite number is itself, `Infinity (not finite)` (JSON would print null), and an array or object
 *   where a number belongs is named as one: `an array ["1"]`.
 * And the one way an API edge checks a value's type: `mustBe` throws `<where> must be <what>, got <shown>`.
 *
 * Pure (no Node modules): the browser playground bundles the map parser that uses it.
 */

/** How many characters of a value a message echoes. */
export const SHOW_MAX = 60;

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x09: 'tab',
  0x0a: 'line feed',
  0x0b: 'vertical tab',
  0x0c: 'form feed',
  0x0d: 'carriage return',
  0x1b: 'escape',
  0x7f: 'delete',
  0x85: 'next line',
  0xa0: 'no-break space',
  0xad: 'soft hyphen',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2060: 'word joiner',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0x3000: 'ideographic space',
  0xfeff: 'byte-order mark',
  0xfffd: 'replacement character',
};

// Controls, format characters (BOM, bidi overrides, zero-width), separators other than the plain space,
// lone surrogates, private-use and unassigned code points: none of them shows as itself in a terminal.
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]$|^[^\S ]$|^\p{Zs}$/u;

/** Whether a character (one code point) would not show as itself in a message. */
export function isInvisible(ch: string): boolean {
  return ch !== ' ' && (INVISIBLE.test(ch) || ch === '\ufffd');
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** One character (code point) for a message: `'x'`, or `U+FEFF (byte-order mark)` for one that does not show. */
export function showChar(ch: string): string {
  if (!isInvisible(ch)) return `'${ch}'`;
  const cp = ch.codePointAt(0)!;
  const name =
    NAMES[cp] ??
    (cp >= 0xd800 && cp <= 0xdfff ? 'half of a surrogate pair' : /\p{Cc}/u.test(ch) ? 'control character' : 'invisible character');
  return `${codePoint(ch)} (${name})`;
}

/** The characters (code points) of a text: an emoji is one, a lone half of a surrogate pair is one. */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/**
 * A text for a message, quoted (with `quote`; one inside is escaped): characters that do not show become
 * `<U+FEFF byte-order mark>`, and a text longer than `max` characters is cut, with its length said:
 * `'aaaa…' (1048576 characters)`.
 */
export function showText(text: string, max = SHOW_MAX, quote: "'" | '"' = "'"): string {
  const chars = codePoints(text);
  const shown = chars
    .slice(0, max)
    .map((ch) => (isInvisible(ch) ? `<${showChar(ch).replace(' (', ' ').replace(/\)$/, '')}>` : ch === quote ? `\\${ch}` : ch))
    .join('');
  return chars.length > max ? `${quote}${shown}…${quote} (${chars.length} characters)` : `${quote}${shown}${quote}`;
}

/** A key (a parameter or header name) for a message: as it is when it is a plain name, else quoted as showText does. */
export function showKey(key: string): string {
  return /^-{0,2}[A-Za-z_$][\w$.-]{0,59}$/.test(key) ? key : showText(key, 40);
}

function render(v: unknown, budget: number, depth: number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return showText(v, Math.max(8, budget), '"');
  if (v === null || v === undefined || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (depth > 2) return Array.isArray(v) ? '[…]' : '{…}';
  const parts: string[] = [];
  let used = 2;
  const entries: [string | null, unknown][] = Array.isArray(v)
    ? v.map((x) => [null, x])
    : ArrayBuffer.isView(v)
      ? Array.from(v as unknown as ArrayLike<number>, (x) => [null, x])
      : Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]]);
  for (const [k, x] of entries) {
    const part = (k === null ? '' : `${showText(k, 20, '"')}: `) + render(x, budget - used, depth + 1);
    if (used + part.length > budget && parts.length > 0) {
      parts.push(`… (${entries.length} in all)`);
      break;
    }
    parts.push(part);
    used += part.length + 2;
  }
  const list = parts.join(', ');
  return Array.isArray(v) || ArrayBuffer.isView(v) ? `[${list}]` : `{${list}}`;
}

/**
 * Any value for a message, at most about `max` characters: numbers as themselves (`Infinity (not finite)`,
 * `NaN (not a number)`), text in double quotes and escaped (showText), an array or object named as one
 * (`an array ["1"]`, `an object {"x": 1}`), undefined and null as themselves.
 */
export function showValue(v: unknown, max = SHOW_MAX): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN (not a number)' : Number.isFinite(v) ? String(v) : `${v} (not finite)`;
  if (Array.isArray(v)) return `an array ${render(v, max, 0)}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} ${render(v, max, 0)}`;
  if (v !== null && typeof v === 'object') return `an object ${render(v, max, 0)}`;
  return render(v, max, 0);
}

/** An error saying what a value must be: `<where> must be <what>, got <value shown>`. */
export function mustBe(where: string, what: string, got: unknown): Error {
  return new TypeError(`${where} must be ${what}, got ${showValue(got)}`);
}

/** A finite number at an API edge (not a numeric string, not an array holding one). */
export function checkFinite(where: string, v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw mustBe(where, 'a finite number', v);
}
