/** Claims: building them, and printing them as a table. */
import type { Claim } from './experiment';

/** A claim's verdict: one word for each, everywhere (tables, claims.json, report, notebooks). */
export type Verdict = 'holds' | 'does not hold' | 'inconclusive';

export function verdict(c: Claim): Verdict {
  return c.inconclusive !== undefined ? 'inconclusive' : c.holds ? 'holds' : 'does not hold';
}

/** The verdict with its reason when inconclusive, e.g. for prose in notebooks. */
export function verdictText(c: Claim): string {
  return c.inconclusive !== undefined ? `is inconclusive (${c.inconclusive})` : verdict(c);
}

/** The verdict of claim `id` among `claims`, for prose: "holds", "does **not** hold", "is inconclusive (…)" or "was not checked". */
export function verdictOf(claims: Claim[], id: string): string {
  const c = claims.find((x) => x.id === id);
  if (!c) return 'was not checked';
  return verdict(c) === 'does not hold' ? 'does **not** hold' : verdictText(c);
}

/** The claims marked inconclusive for `reason` (null: unchanged). */
export function markInconclusive(claims: Claim[], reason: string | null): Claim[] {
  return reason === null ? claims : claims.map((c) => ({ ...c, inconclusive: reason }));
}

export function claim(c: Claim): Claim {
  for (const k of ['id', 'experiment', 'claim', 'paper', 'measured'] as const) {
    if (typeof c[k] !== 'string' || c[k].length === 0) throw new Error(`claim ${c.id ?? '?'}: '${k}' must be a non-empty string`);
  }
  if (typeof c.holds !== 'boolean') throw new Error(`claim ${c.id}: 'holds' must be true or false`);
  if (c.inconclusive !== undefined && (typeof c.inconclusive !== 'string' || c.inconclusive.length === 0))
    throw new Error(`claim ${c.id}: 'inconclusive' must be the reason, a non-empty string`);
  return c;
}

/** Text made safe for one cell of a Markdown table (no column bar, no line break). */
export function markdownCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Text a user gave (a sweep's label, an experiment's title or error) for Markdown: a table cell's bar and line breaks,
 * and HTML (`<`, `>`, `&`), escaped, so that a Markdown viewer shows it as text, as index.html does.
 */
export function markdownText(s: string): string {
  return markdownCell(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text in a Markdown code span (a claim id): no backtick can end the span early, no bar end the cell. */
export function markdownCode(s: string): string {
  return `\`${markdownCell(s).replace(/`/g, "'")}\``;
}

/** The claims as a Markdown table (also readable as plain text): the one renderer of notebooks and claims.md. */
export function claimsMarkdown(claims: Claim[]): string {
  if (claims.length === 0) return '_No claims checked._\n';
  const lines = ['| verdict | claim | the paper | measured | id |', '|---|---|---|---|---|'];
  for (const c of claims) {
    const v = verdict(c);
    const measured = c.measured + (c.inconclusive ? ` (inconclusive: ${c.inconclusive})` : '');
    const cells = [v === 'does not hold' ? '**does not hold**' : v, c.claim, c.paper, measured].map(markdownCell);
    lines.push(`| ${cells.join(' | ')} | ${markdownCode(c.id)} |`);
  }
  return lines.join('\n') + '\n';
}
