/** Claims: building them, and printing them as a table. */
import type { Claim } from './experiment';

export function claim(c: Claim): Claim {
  for (const k of ['id', 'experiment', 'claim', 'paper', 'measured'] as const) {
    if (typeof c[k] !== 'string' || c[k].length === 0) throw new Error(`claim ${c.id ?? '?'}: '${k}' must be a non-empty string`);
  }
  if (typeof c.holds !== 'boolean') throw new Error(`claim ${c.id}: 'holds' must be true or false`);
  return c;
}

/** The claims as a Markdown table (also readable as plain text). */
export function claimsMarkdown(claims: Claim[]): string {
  if (claims.length === 0) return '_No claims checked yet._\n';
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| verdict | id | claim | measured |', '|---|---|---|---|'];
  for (const c of claims) lines.push(`| ${c.holds ? 'holds' : 'FAILS'} | ${c.id} | ${esc(c.claim)} | ${esc(c.measured)} |`);
  return lines.join('\n') + '\n';
}
