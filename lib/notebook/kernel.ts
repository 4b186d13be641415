/**
 * The one way output reaches a tslab kernel. tslab's public `display.raw` sends one MIME type per message, so
 * this uses the kernel's own display writer underneath it: one message may carry several representations of
 * the same output (the frontend picks the richest it can render), and a display id lets a later message
 * replace an earlier output in place (the progress line).
 */

type Bundle = Record<string, unknown>;
type Writer = (data: { data: Bundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

function kernelWriter(): Writer | null {
  try {
    // Resolved from the project's node_modules: the same tslab instance that runs the kernel.
    const jupyter: { lastWriteDisplayData?: Writer | null } = require('tslab/dist/jupyter');
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/**
 * Sends a MIME bundle as one display output. With `displayId`, `update: true` replaces the output first sent
 * under that id. Returns false, having written nothing, outside a notebook.
 */
export function writeOutput(bundle: Bundle, opts: { displayId?: string; update?: boolean } = {}): boolean {
  const write = kernelWriter();
  if (!write) return false;
  write({ data: bundle, metadata: {}, transient: opts.displayId ? { display_id: opts.displayId } : {} }, opts.update ?? false);
  return true;
}
