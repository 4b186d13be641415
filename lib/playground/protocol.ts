/** Messages between the playground page and its workers (plain data: structured-cloned). */
import type { GridOutline } from '../plot/grid-layers';
import type { CurvePoint, Method } from '../tabular/mnm-agent';
import type { RiskMDPParams } from '../tabular/risk-mdp';
import type { Arrow, BoundRow, PathResult, RewardForm, RiskKey, RiskView, SideCell } from './compute';
import type { DeepParams, DeepPoint } from './deep';

/** Value iteration (one sweep per step) or the authors' alternating procedure, with the MnM or VMBPO objective. */
export type Procedure = 'vi-mnm' | 'vi-vmbpo' | 'alt-mnm' | 'alt-vmbpo';
/** The map's own rewards, or Fig. 3b's (1 everywhere, 10 in the goal). */
export type BoundRewards = 'map' | 'fig3b';

/** A map: its text and a name for error messages. */
export interface MapText {
  name: string;
  text: string;
}

export type Request =
  | { kind: 'risk'; params: RiskMDPParams }
  | { kind: 'side-map'; params: RiskMDPParams; x: RiskKey; y: RiskKey; n: number }
  /** Start a procedure anew (`reset`) or go on with the current one, `steps` iterations. */
  | { kind: 'bound'; map: MapText; gamma: number; rewards: BoundRewards; procedure: Procedure; reset: boolean; steps: number }
  | { kind: 'arrows'; map: MapText; noise: number; gamma: number; form: RewardForm }
  | { kind: 'curves'; map: MapText; seed: number; updates: number; methods: Method[] }
  /** Fig. 2b: the authors' exact alternating procedure ('paper') or E2's sample-based learners ('e2'). */
  | { kind: 'paths'; procedure: 'paper' | 'e2'; map: MapText; seed: number; updates: number }
  /** SAC learning Pendulum on the WebAssembly engine (deep.ts). */
  | { kind: 'deep'; params: DeepParams };

export type Reply =
  | { kind: 'risk'; view: RiskView }
  | { kind: 'side-map'; cells: SideCell[] }
  | { kind: 'bound'; rows: BoundRow[]; converged: boolean }
  | { kind: 'arrows'; arrows: Arrow[] }
  /** One measured point of one learner (streamed), then `done` at the end of the run. */
  | { kind: 'curve-point'; method: Method; point: CurvePoint; jStar: number }
  | { kind: 'curves'; done: true }
  | { kind: 'paths'; results: PathResult[]; outline: GridOutline }
  /** One episode of the deep run (streamed), then `done` at the end of the run. */
  | { kind: 'deep-point'; point: DeepPoint }
  | { kind: 'deep'; done: true };

/** Every message carries the id of the request it answers; `ms` is the time the worker spent on it. */
export type Envelope = { id: number; ms?: number } & ({ ok: true; reply: Reply } | { ok: false; error: string });
