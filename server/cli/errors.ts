export const EXIT = { ok: 0, failed: 1, usage: 2, someFilesFailed: 3 } as const;

/** A failure the CLI reports as one line, with its exit code. */
export class CliError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}
