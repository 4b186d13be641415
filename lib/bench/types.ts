/** One benchmark measurement. `peer_*` are null where no peer program does the same work. */
export interface BenchEntry {
  name: string;
  ours_ms: number;
  peer_ms: number | null;
  /** peer_ms / ours_ms: above 1 means we are faster. */
  ratio: number | null;
  /** Whether our answer matches the peer's (null where there is no peer answer to compare). */
  agree: boolean | null;
  /** Anything else worth recording (sizes, iterations, throughput, the peer's version). */
  [extra: string]: unknown;
}

/** A group of benchmarks (tabular solvers, learners, SAC update...). */
export interface BenchSection {
  name: string;
  run(log: (line: string) => void): Promise<BenchEntry[]>;
}
