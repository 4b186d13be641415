/**
 * A single-node Slurm cluster for tests: munged, slurmctld and slurmd on this machine, all as root, with every
 * file (key, sockets, state, spool, logs) in one temporary folder and ports chosen free, so that it touches
 * nothing of the machine's own Slurm or munge and several can run side by side. `startCluster()` either
 * returns a running cluster or throws naming exactly what failed (and stops whatever it had started).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Cluster {
  dir: string;
  partition: string;
  /** Environment for Slurm's client commands (SLURM_CONF). */
  env: NodeJS.ProcessEnv;
  /** Runs a Slurm client command against this cluster; throws with its stderr when it fails. */
  run(cmd: string, args: string[]): string;
  /** One `{field: value}` per job (per array task) of `scontrol -o show job ID`. */
  jobs(id: string): Record<string, string>[];
  stop(): void;
}

const INSTALL = 'scripts/setup.sh --slurm (as root), or: apt-get install -y --no-install-recommends slurm-wlm munge';
const BINARIES = ['/usr/sbin/munged', '/usr/bin/munge', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(file: string): number | null {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Polls until `ok()` or the deadline; returns whether it became true. */
function waitFor(ok: () => boolean, ms: number, step = 200): boolean {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (ok()) return true;
    sleep(step);
  }
  return ok();
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

export async function startCluster(): Promise<Cluster> {
  const missing = BINARIES.filter((b) => !fs.existsSync(b));
  if (missing.length) throw new Error(`Slurm test: ${missing.join(', ')} not installed; run ${INSTALL}`);
  if (process.getuid?.() !== 0) throw new Error('Slurm test: the daemons run as root here; run the test as root (as CI does)');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-slurm-'));
  fs.chmodSync(dir, 0o755);
  // Modes set explicitly (not left to the umask): munged refuses group- or world-writable folders on its paths, and
  // wants its socket's folder open to all and its key's closed.
  for (const d of ['munge', 'run', 'state', 'spool', 'log']) {
    fs.mkdirSync(path.join(dir, d));
    fs.chmodSync(path.join(dir, d), d === 'munge' ? 0o700 : 0o755);
  }
  const host = os.hostname().split('.')[0];
  const partition = 'mnm';
  const socket = path.join(dir, 'run', 'munge.socket');
  const conf = path.join(dir, 'slurm.conf');
  const env = { ...process.env, SLURM_CONF: conf };
  const pids: Record<string, string> = {
    munged: path.join(dir, 'run', 'munged.pid'),
    slurmctld: path.join(dir, 'run', 'slurmctld.pid'),
    slurmd: path.join(dir, 'run', 'slurmd.pid'),
  };

  // Its own pid file is the truth (slurmctld writes it once it is up); until it appears, stop() uses the pid we started.
  const started: Record<string, number> = {};
  const pidOf = (name: string) => readPid(pids[name]) ?? started[name] ?? null;
  const stop = () => {
    if (fs.existsSync(conf)) spawnSync('scancel', ['--user=root'], { env, timeout: 5000 });
    // slurmd first (it ends the jobs' steps), then the controller, then munge.
    for (const name of ['slurmd', 'slurmctld', 'munged']) {
      const pid = pidOf(name);
      if (pid === null || !alive(pid)) continue;
      process.kill(pid, 'SIGTERM');
      if (!waitFor(() => !alive(pid), 5000, 100)) process.kill(pid, 'SIGKILL');
    }
  };
  process.once('exit', stop); // also when the test process ends without running its after() hooks
  const fail = (what: string, log?: string): never => {
    stop();
    throw new Error(`Slurm test: ${what}${log ? `\n--- ${log}:\n${tail(log)}` : ''}\n(files in ${dir})`);
  };

  const run = (cmd: string, args: string[]): string => {
    const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 30_000 });
    if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.error?.message ?? r.stderr.trim()}`);
    return r.stdout;
  };

  // munge: a private key and socket.
  const key = path.join(dir, 'munge', 'munge.key');
  try {
    execFileSync('mungekey', ['--create', `--keyfile=${key}`], { stdio: 'pipe' });
  } catch (err) {
    fail(`mungekey --create failed: ${(err as Error).message}`);
  }
  const mungeLog = path.join(dir, 'log', 'munged.log');
  const m = spawnSync(
    '/usr/sbin/munged',
    [
      `--socket=${socket}`,
      `--key-file=${key}`,
      `--pid-file=${pids.munged}`,
      `--seed-file=${path.join(dir, 'munge', 'seed')}`,
      `--log-file=${mungeLog}`,
    ],
    { encoding: 'utf8' },
  );
  if (m.status !== 0) fail(`munged did not start (exit ${m.status}): ${m.stderr.trim()}`, mungeLog);
  const mungeWorks = () => spawnSync('bash', ['-c', `munge -n -S ${socket} | unmunge -S ${socket}`], { stdio: 'ignore' }).status === 0;
  if (!waitFor(mungeWorks, 5000)) fail('munged started but munge -n | unmunge fails', mungeLog);

  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const realMemory = Math.floor(os.totalmem() / 2 ** 20) - 512;
  fs.writeFileSync(
    conf,
    [
      'ClusterName=mnmtest',
      // Addresses given, so that nothing depends on the host name resolving.
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      `StateSaveLocation=${path.join(dir, 'state')}`,
      `SlurmdSpoolDir=${path.join(dir, 'spool')}`,
      `SlurmctldPidFile=${pids.slurmctld}`,
      `SlurmdPidFile=${pids.slurmd}`,
      `SlurmctldLogFile=${path.join(dir, 'log', 'slurmctld.log')}`,
      `SlurmdLogFile=${path.join(dir, 'log', 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'ReturnToService=2',
      'MpiDefault=none',
      'MailProg=/bin/true',
      'SchedulerParameters=batch_sched_delay=0',
      'MinJobAge=300',
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=2 RealMemory=${realMemory} State=UNKNOWN`,
      `PartitionName=${partition} Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );

  for (const daemon of ['slurmctld', 'slurmd']) {
    const out = fs.openSync(path.join(dir, 'log', `${daemon}.out`), 'w');
    const child = spawn(`/usr/sbin/${daemon}`, ['-D', '-f', conf], { env, detached: true, stdio: ['ignore', out, out] });
    child.unref();
    fs.closeSync(out);
    if (child.pid) started[daemon] = child.pid;
  }
  const state = () => spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { env, encoding: 'utf8' }).stdout?.trim();
  if (!waitFor(() => state() === 'idle', 20_000, 250)) {
    const ctld = pidOf('slurmctld');
    const d = pidOf('slurmd');
    if (ctld === null || !alive(ctld)) fail('slurmctld exited at start', path.join(dir, 'log', 'slurmctld.log'));
    if (d === null || !alive(d)) fail('slurmd exited at start', path.join(dir, 'log', 'slurmd.log'));
    fail(`the node did not become idle within 20 s (sinfo says '${state()}')`, path.join(dir, 'log', 'slurmctld.log'));
  }

  const jobs = (id: string) =>
    run('scontrol', ['-o', 'show', 'job', id])
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => Object.fromEntries(line.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])));

  return {
    dir,
    partition,
    env,
    run,
    jobs,
    stop: () => {
      stop();
      process.removeListener('exit', stop);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
