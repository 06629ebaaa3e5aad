// The shape every CLI command module implements. electron/cli.ts holds the list and the
// argument parsing; each command lives in its own module under electron/cli/.

export interface CliIO {
  /** Machine-readable output (JSON) goes here. */
  stdout(text: string): void;
  /** Human-readable errors go here. */
  stderr(text: string): void;
  /**
   * Standard output is a terminal someone is looking at (not a pipe, file or service log).
   * Secrets shown once (demo passwords) are printed only then.
   */
  terminal?: boolean;
}

export interface CliArgs {
  /** Words after the command name, e.g. `user add` → ['add']. */
  positionals: string[];
  /** `--name value` → { name: 'value' }; a bare `--flag` → { flag: true }. */
  flags: Record<string, string | boolean>;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. Throwing a CliError prints its message and exits 1. */
  run(args: CliArgs, io: CliIO): Promise<number>;
}

/** An error whose message is meant for the person at the terminal (in Chinese). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function flagString(args: CliArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireFlag(args: CliArgs, name: string): string {
  const v = flagString(args, name);
  if (v === undefined) throw new CliError(`缺少参数 --${name}`);
  return v;
}
