/**
 * The tabular figures as the authors computed them (docs/PAPER-SETTINGS.md), under a setting and single-knob
 * changes of it, each with the checks of its claim: one definition for the E1–E4 paper settings, the
 * sensitivity table (E12) and the notebooks. Every figure except Fig. 2a left is deterministic.
 */
export * from './knobs';
export * from './fig2a';
export * from './fig2b';
export * from './fig3a';
export * from './fig3b';
