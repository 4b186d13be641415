/// <reference lib="dom" />
/**
 * The playground page (runs in the browser; bundled by build.ts): one module per panel in panels/, each keeping
 * its settings in the URL hash (ui.ts) and sending its computations to a worker (channel.ts; compute.ts runs
 * there); charts are lib/plot specs drawn with vega-embed.
 */
import { boundPanel } from './panels/bound';
import { deepPanel } from './panels/deep';
import { glossaryPanel } from './panels/glossary';
import { learningPanel } from './panels/learning';
import { optimismPanel } from './panels/optimism';
import { riskPanel } from './panels/risk';
import { byId, h } from './ui';

function main(): void {
  const app = byId('app');
  const nav = h(
    'nav',
    { 'aria-label': 'panels' },
    ...[
      ['risk', 'Risk MDP'],
      ['bound', 'The bound'],
      ['optimism', 'Optimistic dynamics'],
      ['learning', 'Learning'],
      ['deep', 'Deep RL'],
      ['glossary', 'Glossary'],
    ].map(([id, t]) => h('a', { href: `#`, 'data-target': id, onclick: (e: Event) => (e.preventDefault(), byId(id).scrollIntoView()) }, t)),
  );
  app.append(nav, riskPanel(), boundPanel(), optimismPanel(), learningPanel(), deepPanel(), glossaryPanel());
  app.setAttribute('data-ready', 'true');
}

main();
