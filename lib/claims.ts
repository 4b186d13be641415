/** Claims: building them (their verdict from the rule of lib/stats.ts), the record claims.json holds, and the Markdown table. */
import type { Claim, ClaimOrigin } from './experiment';
import { combine, type Decision, type Effect, fmt, fmtEffect, powerFraction, powerNormal, type Verdict } from './stats';

export type { Verdict } from './stats';

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

export const ORIGINS: readonly ClaimOrigin[] = ['paper', 'derived', 'project'];
export const ORIGIN_TITLE: Record<ClaimOrigin, string> = {
  paper: 'Claims the paper makes',
  derived: 'Consequences the project derived from the paper',
  project: "The project's own claims and checks",
};

/** What a claim is built from: whose claim it is and its evidence (the rule gives the verdict); `holds` is computed. */
export type ClaimInput = Omit<Claim, 'holds' | 'origin' | 'evidence'> & { origin: ClaimOrigin; evidence: Decision[] };

/**
 * A checked claim. Its verdict comes from the rule (lib/stats.ts decide() and combine()) over its `evidence`: `holds`
 * and the inconclusive reason are computed, not given; a reason given in `inconclusive` (a failed sanity bar) still wins.
 */
export function claim(c: ClaimInput): Claim {
  for (const k of ['id', 'experiment', 'claim', 'paper', 'measured'] as const) {
    if (typeof c[k] !== 'string' || c[k].length === 0) throw new Error(`claim ${c.id ?? '?'}: '${k}' must be a non-empty string`);
  }
  if (!ORIGINS.includes(c.origin))
    throw new Error(`claim ${c.id}: 'origin' must be one of ${ORIGINS.join(', ')}, got '${String(c.origin)}'`);
  if (c.power !== undefined && !(c.power >= 0 && c.power <= 1)) throw new Error(`claim ${c.id}: 'power' must be in [0, 1], got ${c.power}`);
  if (c.seeds !== undefined && !(Number.isInteger(c.seeds) && c.seeds >= 0))
    throw new Error(`claim ${c.id}: 'seeds' must be a non-negative integer, got ${c.seeds}`);
  if (!Array.isArray(c.evidence) || c.evidence.length === 0) throw new Error(`claim ${c.id}: 'evidence' must list at least one decision`);
  if (c.inconclusive !== undefined && (typeof c.inconclusive !== 'string' || c.inconclusive.length === 0))
    throw new Error(`claim ${c.id}: 'inconclusive' must be the reason, a non-empty string`);
  const v = combine(c.evidence);
  const out: Claim = { ...c, holds: v.verdict === 'holds' };
  if (v.verdict === 'inconclusive' && c.inconclusive === undefined) out.inconclusive = v.reason ?? 'the interval straddles the margin';
  return out;
}

/** The claimed effect of a claim as one line ("a − b > 0; and c < 0.5"), or '' when it has no evidence. */
export function effectText(c: Claim): string {
  return (c.evidence ?? []).map((d: Decision) => fmtEffect(d.effect)).join('; and ');
}

/** One claim as claims.json records it. */
export interface ClaimRecord {
  id: string;
  experiment: string;
  origin: ClaimOrigin | null;
  claim: string;
  paper: string;
  /** The claimed effect(s) with their margins, declared before any result. */
  effect: string;
  /** The margin (one per part when the claim has several with different margins); null for a check without one. */
  margin: number | number[] | null;
  /** Each part: the effect, its 95% interval and its verdict. */
  evidence: {
    quantity: string;
    direction: string;
    margin: number;
    estimate: number;
    lo: number;
    hi: number;
    n: number;
    interval: string;
    verdict: Verdict;
  }[];
  seeds: number | null;
  pilot: string | null;
  power: number | null;
  holds: boolean;
  verdict: Verdict;
  reason?: string;
  measured: string;
}

export function claimRecord(c: Claim): ClaimRecord {
  const ev = c.evidence ?? [];
  const margins = [...new Set(ev.map((d) => d.effect.margin))];
  return {
    id: c.id,
    experiment: c.experiment,
    origin: c.origin ?? null,
    claim: c.claim,
    paper: c.paper,
    effect: effectText(c),
    margin: margins.length === 0 ? null : margins.length === 1 ? margins[0] : ev.map((d) => d.effect.margin),
    evidence: ev.map((d) => ({
      quantity: d.effect.quantity,
      direction: d.effect.direction,
      margin: d.effect.margin,
      estimate: d.interval.estimate,
      lo: d.interval.lo,
      hi: d.interval.hi,
      n: d.interval.n,
      interval: d.interval.method,
      verdict: d.verdict,
    })),
    seeds: c.seeds ?? null,
    pilot: c.pilot ?? null,
    power: c.power ?? null,
    holds: c.holds,
    verdict: verdict(c),
    ...(c.inconclusive !== undefined ? { reason: c.inconclusive } : {}),
    measured: c.measured,
  };
}

/** "3 hold, 1 does not hold, 2 inconclusive": the three verdicts, always all three. */
export function verdictsText(n: { hold: number; fail: number; inconclusive: number }): string {
  return `${n.hold} hold, ${n.fail} ${n.fail === 1 ? 'does' : 'do'} not hold, ${n.inconclusive} inconclusive`;
}

/** The three verdicts of some claims, counted and as text. */
export function countVerdicts(claims: Claim[]): { hold: number; fail: number; inconclusive: number; text: string } {
  const n = (v: Verdict) => claims.filter((c) => verdict(c) === v).length;
  const counts = { hold: n('holds'), fail: n('does not hold'), inconclusive: n('inconclusive') };
  return { ...counts, text: verdictsText(counts) };
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

/** The power cell: "0.86 at 10 seeds (pilot: …)", or '' for a claim without one. */
export function powerText(c: Claim): string {
  if (c.power === undefined) return c.seeds !== undefined ? `${c.seeds} seeds` : '';
  return `${fmt(c.power, 2)} at ${c.seeds ?? '?'} seeds${c.pilot ? ` (pilot: ${c.pilot})` : ''}`;
}

/**
 * The claims as Markdown tables (also readable as plain text), grouped by origin (the paper's, derived, the
 * project's; claims without one last): the one renderer of notebooks and claims.md.
 */
export function claimsMarkdown(claims: Claim[]): string {
  if (claims.length === 0) return '_No claims checked._\n';
  const groups: { title: string | null; claims: Claim[] }[] = ORIGINS.map((o) => ({
    title: ORIGIN_TITLE[o],
    claims: claims.filter((c) => c.origin === o),
  }));
  groups.push({ title: groups.some((g) => g.claims.length) ? 'Other checks' : null, claims: claims.filter((c) => c.origin === undefined) });
  const out: string[] = [];
  for (const g of groups.filter((x) => x.claims.length)) {
    if (g.title) out.push(`**${g.title}** (${countVerdicts(g.claims).text})`, '');
    out.push('| verdict | claim | the paper | effect and margin | measured | power | id |', '|---|---|---|---|---|---|---|');
    for (const c of g.claims) {
      const v = verdict(c);
      const measured = c.measured + (c.inconclusive ? ` (inconclusive: ${c.inconclusive})` : '');
      const cells = [v === 'does not hold' ? '**does not hold**' : v, c.claim, c.paper, effectText(c), measured, powerText(c)].map(
        markdownCell,
      );
      out.push(`| ${cells.join(' | ')} | ${markdownCode(c.id)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** A pilot of one part of a claim, summarised: the per-seed effect's mean and standard deviation over n seeds of an earlier run. */
export interface PilotSummary {
  /** Where it came from: the run, its revision and seeds. */
  source: string;
  n: number;
  mean: number;
  sd: number;
  /** The outcome is 0 or 1 per seed (a fraction of seeds, Wilson's interval): the power is exact, from `mean` as the rate. */
  fraction?: boolean;
}

/**
 * The seeds, pilot and power fields of a random claim at n seeds, from a pilot of each part: the normal approximation
 * (lib/stats.ts powerNormal) or, for a fraction, the exact binomial sum (powerFraction). For several parts the power is
 * the product of theirs: the chance that every part is decided, taken as independent (a lower bound when they are not).
 */
export function powerFields(parts: { pilot: PilotSummary; effect: Effect }[], n: number): { seeds: number; pilot: string; power: number } {
  let power = 1;
  for (const { pilot, effect } of parts) {
    power *= pilot.fraction ? powerFraction(pilot.mean, n, effect) : n >= 2 ? powerNormal(pilot.mean, pilot.sd, n, effect) : 0;
  }
  const sources = [...new Set(parts.map((p) => `${p.pilot.source} (n=${p.pilot.n})`))];
  return { seeds: n, pilot: sources.join('; '), power };
}
