/**
 * `npm run doctor`: what this machine has for the workbench, and what is missing with the command to get it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
let missing = 0;

function sh(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, PATH: `${ROOT}/node_modules/.bin:${process.env.PATH}` } });
  return r.status === 0 ? (r.stdout + r.stderr).trim() : null;
}

function line(what: string, value: string | null, fix?: string): void {
  if (value === null) {
    missing++;
    console.log(`  ✗ ${what.padEnd(22)} missing${fix ? `  → ${fix}` : ''}`);
  } else console.log(`  ✓ ${what.padEnd(22)} ${value}`);
}

function pkgVersion(name: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  console.log('MnM workbench: environment check');
  const [maj, min] = process.versions.node.split('.').map(Number);
  line('Node.js', maj > 20 || (maj === 20 && min >= 19) ? process.version : null, 'install Node.js 20.19 or newer');
  console.log('npm packages');
  for (const p of [
    'typescript',
    'tsx',
    'tslab',
    'nodejs-polars',
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-backend-wasm',
    'vega',
    'vega-lite',
    'seedrandom',
    '@resvg/resvg-js',
  ]) {
    line(p, pkgVersion(p), 'npm ci');
  }
  try {
    const pl = require('nodejs-polars');
    line('Polars native code', pl.DataFrame({ a: [1] }).height === 1 ? 'loads' : null, 'npm ci (needs nodejs-polars-linux-x64-gnu)');
  } catch (err) {
    line('Polars native code', null, `npm ci (${(err as Error).message.split('\n')[0]})`);
  }
  console.log('TensorFlow.js');
  try {
    const { initBackend, nativeAvailable } = require('../lib/deep/backend');
    const name = await initBackend({ quiet: true });
    line('backend in use', name);
    if (!nativeAvailable()) {
      console.log(
        '    (native tfjs-node not available: `npm install @tensorflow/tfjs-node` where its install step can download libtensorflow; see environment.md)',
      );
    }
  } catch (err) {
    line('backend in use', null, (err as Error).message);
  }
  console.log('WebAssembly engine');
  try {
    const { Engine, engineVariant } = require('../lib/engine/engine');
    new Engine();
    line('engine', `loads (${engineVariant()} SIMD build)`);
  } catch (err) {
    line('engine', null, (err as Error).message);
  }
  try {
    const { deepBackend } = require('../lib/deep/deep-backend');
    line('SAC updates run on', deepBackend());
  } catch (err) {
    line('SAC updates run on', null, (err as Error).message);
  }
  console.log('Jupyter');
  line(
    'jupyter (Debian)',
    sh('/usr/bin/jupyter', ['--version']) ? 'found /usr/bin/jupyter' : null,
    'npm run setup -- --jupyter (or: apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client)',
  );
  const nbconvert = sh('/usr/bin/jupyter', ['nbconvert', '--version']);
  line('nbconvert', nbconvert, 'apt-get install jupyter-nbconvert');
  const kernels = sh('/usr/bin/jupyter', ['kernelspec', 'list']) ?? '';
  const tslabLine = kernels.split('\n').find((l) => /^\s*tslab\s/.test(l));
  line('tslab kernel', tslabLine ? tslabLine.trim().replace(/\s+/, ' at ') : null, 'npx tslab install --python=/usr/bin/python3');
  line(
    'fonts for PNG figures',
    fs.existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf') ? 'DejaVu Sans' : null,
    'apt-get install fonts-dejavu-core',
  );
  console.log('Optional (benchmarks and report test)');
  line('python3 + numpy', sh('python3', ['-c', 'import numpy; print("numpy", numpy.__version__)']), 'numpy for the tabular benchmark peer');
  line(
    'PyTorch (Debian)',
    sh('/usr/bin/python3', ['-c', 'import torch; print("torch", torch.__version__)']),
    'apt-get install python3-torch (SAC benchmark peer)',
  );
  line('chromium', sh('/usr/bin/chromium', ['--version']), 'apt-get install chromium (report test)');
  console.log(missing === 0 ? 'everything is in place.' : `${missing} item(s) missing: see the arrows above.`);
}

main().catch((err) => {
  console.error(`doctor: ${(err as Error).message}`);
  process.exit(1);
});
