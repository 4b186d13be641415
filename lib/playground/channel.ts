/// <reference lib="dom" />
/** The page's workers (browser side): each kind of computation has its own, started from the code build.ts put in the page. */
import type { Envelope, Reply, Request } from './protocol';

/** Starts a worker from the code build.ts put in the page (file:// pages may not load a worker from a file). */
function startWorker(): Worker {
  const code = (document.getElementById('worker-code') as HTMLScriptElement).textContent ?? '';
  return new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
}

/** A worker that answers requests in order; answers to a request that a newer one of the same slot replaced are dropped. */
class Channel {
  /** Started on the first request. */
  private worker: Worker | null = null;
  private nextId = 1;
  private handlers = new Map<number, (env: Envelope) => void>();
  private newest = new Map<string, number>();

  private start(): Worker {
    const w = startWorker();
    w.onmessage = (e: MessageEvent<Envelope>) => this.handlers.get(e.data.id)?.(e.data);
    w.onerror = (e) => console.error(`worker: ${e.message}`);
    return w;
  }

  /** Sends a request; `onReply` sees every reply (streamed ones too). Replies to superseded requests of `slot` are dropped. */
  send(slot: string, request: Request, onReply: (r: Reply, ms?: number) => void, onError: (msg: string) => void): void {
    const id = this.nextId++;
    this.newest.set(slot, id);
    this.handlers.set(id, (env) => {
      if (this.newest.get(slot) !== id) {
        this.handlers.delete(id);
        return;
      }
      if (env.ok) {
        onReply(env.reply, env.ms);
        if (env.ms !== undefined) this.handlers.delete(id);
      } else {
        this.handlers.delete(id);
        onError(env.error);
      }
    });
    this.worker ??= this.start();
    this.worker.postMessage({ id, request });
  }

  /** Stops whatever runs (a learning run) by replacing the worker. */
  restart(): void {
    this.worker?.terminate();
    this.handlers.clear();
    this.worker = null;
  }
}

// One worker per kind of computation, so that a slow one (the which-side map, a learning run) never
// holds up a quick one (the risk MDP's numbers as a slider moves).
export const workers = {
  risk: new Channel(),
  sideMap: new Channel(),
  bound: new Channel(),
  grid: new Channel(),
  learning: new Channel(),
  paths: new Channel(),
  deep: new Channel(),
};
