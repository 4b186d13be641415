/// <reference lib="dom" />
/** 5. The glossary: the terms the panels use, each in a sentence or two, as the paper defines them. */
import { h } from '../ui';

/** [term, definition]; the paper's section or equation where it has one. */
const TERMS: [string, string][] = [
  [
    'MnM (Mismatched No More)',
    'The paper’s method: the policy π and the model q are trained on one objective, the lower bound of Eq. 2 on log J(π), so improving either one raises the same bound.',
  ],
  [
    'VMBPO',
    'A prior method that also trains the model and the policy on one objective, but without the logarithm of the reward. Its objective is an upper bound on J(π) that grows with the variance of the return, so it can prefer a riskier policy with a lower mean return (Fig. 3a).',
  ],
  [
    'Q-learning (true model)',
    'The baseline the gridworld learners are compared with: Q-learning on transitions drawn from the true dynamics p.',
  ],
  ['p and q', 'p(s′|s,a) is the true dynamics; q(s′|s,a) is a model of them, learned from samples or computed exactly.'],
  [
    'r and log r',
    'r(s,a) > 0 is the task’s reward. MnM’s reward takes its logarithm (weighted by 1 − γ in Eq. 3, unweighted in Eq. 5): the log is what makes the objective a lower bound, and what VMBPO leaves out.',
  ],
  [
    'Eq. 3 reward',
    'r̃ = (1 − γ) log r(s,a) + log p(s′|s,a)/q(s′|s,a) − (1 − γ) log(1 − γ): the log reward, minus a penalty where the model makes a transition likelier than the true dynamics do.',
  ],
  [
    'Eq. 5 reward',
    '≈ log r(s,a) + log C/(1 − C): the reward as computed from samples, the classifier’s logit standing in for log p/q, so that p need not be known.',
  ],
  [
    'classifier',
    'C(s,a,s′) is trained (cross-entropy) to tell real transitions from model transitions; at its optimum its logit log C/(1 − C) equals log p/q. “Without classifier” drops that term from the reward.',
  ],
  [
    'KL term',
    'Averaged over the model’s next states, the log p/q term is −KL(q‖p): the price the bound charges at each step for a model that differs from p. The exact computations (the bound panel, the authors’ Fig. 2b procedure) compute it from p instead of a classifier.',
  ],
  [
    'Eq. 2 bound L(π, q)',
    'The expected discounted sum of the Eq. 3 reward along trajectories of π in the model q. For every π and q, L(π, q) ≤ log J(π) (Theorem 3.1); MnM maximises it over both.',
  ],
  [
    'tight bound, Eq. 10',
    'The variant of the bound in the paper’s Appendix A: it lies between the Eq. 2 bound and log J(π), and becomes equal to log J(π) at convergence.',
  ],
  [
    'J(π) and J*',
    'J(π) = E[Σ γ^t r(s_t, a_t)], the expected discounted return of π in the true dynamics; J* is that of the optimal policy, so J(π)/J* = 1 means optimal.',
  ],
  [
    'optimistic model q*',
    'The model that maximises the bound: the true dynamics tilted toward high return, q*(τ) ∝ p(τ)R(τ) over whole trajectories (Sec. 3). Step by step, at MnM’s value-iteration fixed point, q*(s′|s,a) ∝ p(s′|s,a) exp(γV(s′)); the arrows of “Optimistic dynamics” are q* − p.',
  ],
  [
    'alternating procedure',
    'The authors’ exact computation behind Fig. 3b: from a uniform π and q = p, the policy and the model each answer the other with a best response, moved halfway (τ = 0.5), until q changes by less than 1e-6.',
  ],
  [
    'value-iteration sweep',
    'One update of every state’s value by the Bellman backup of MnM’s (or VMBPO’s) objective; the bound panel evaluates each sweep’s greedy policy and model.',
  ],
  ['greedy policy', 'The policy that takes, in each state, the action of highest Q value.'],
  [
    'block model (3×3)',
    'A capacity-limited model that predicts the same moves for all nine cells of a 3×3 block, so it cannot see walls thinner than a block (Fig. 2b); the classifier’s capacity is limited the same way.',
  ],
  [
    'risk MDP',
    'The 3-state MDP of Fig. 3a: from Center, Left pays a sure reward; Right pays a little more, but wind blows the agent back to Center with some probability.',
  ],
  [
    'γ, noise ε, wind',
    'γ is the discount. ε is the probability that a move is replaced by one of the four moves drawn uniformly. Wind is the probability that the agent in Right is blown back to Center.',
  ],
  [
    'MnM-approx',
    'Not in this playground: the paper’s deep-RL version (Sec. 4.3; notebooks 05–07). Its model is trained with MnM’s objective, but its policy learns from the task reward r, not from the Eq. 3 or Eq. 5 reward with the classifier term.',
  ],
];

export function glossaryPanel(): HTMLElement {
  return h(
    'section',
    { id: 'glossary', 'aria-labelledby': 'glossary-title' },
    h('h2', { id: 'glossary-title' }, 'Glossary'),
    h('dl', { class: 'glossary' }, ...TERMS.flatMap(([term, text]) => [h('dt', {}, term), h('dd', {}, text)])),
  );
}
