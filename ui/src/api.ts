// The Rust commands, through the generated bindings (bindings.ts), with their results unwrapped:
// a failed command throws a `Problem` carrying the `{ code, message }` the shell sent.

import { commands, type IpcError } from "./bindings";
import { problemText } from "./l10n";

/** A failed command; its `message` is what the window says of it, in the window's language. */
export class Problem extends Error {
  constructor(readonly error: IpcError) {
    super(problemText(error));
  }
  get code(): IpcError["code"] {
    return this.error.code;
  }
}

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

export async function call<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result;
  if (r.status === "error") throw new Problem(r.error);
  return r.data;
}

export function asProblem(e: unknown): Problem {
  if (e instanceof Problem) return e;
  return new Problem({ code: "internal", message: e instanceof Error ? e.message : String(e) });
}

export { commands };
