/**
 * Where the command writes: results to stdout (`say`), messages and progress to stderr (`note`,
 * `progressStream`). One place, so that tests can run the command in-process and read what it wrote.
 */
export interface Output {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export const output: Output = { stdout: process.stdout, stderr: process.stderr };

/** A line of results (stdout). */
export function say(line: string): void {
  output.stdout.write(`${line}\n`);
}

/** A line of messages (stderr). */
export function note(line: string): void {
  output.stderr.write(`${line}\n`);
}
