// Figures the reliability suite reports: each test adds a row, run.ts prints the table.

import { appendFileSync } from "node:fs";

export interface Figure {
  /** What was attacked. */
  readonly area: string;
  readonly cases: number;
  /** Runs where stitch crashed, hung, or the command did not run. */
  readonly crashes: number;
  /** Files outside the sessions directory, or not named *.session, removed or changed. */
  readonly filesLost: number;
  /** For concurrency: distinct ids per conversation (1 is right). */
  readonly idsPerConversation?: string;
  readonly note?: string;
}

export function record(figure: Figure): void {
  const path = process.env.STITCH_FIGURES;
  if (path) appendFileSync(path, `${JSON.stringify(figure)}\n`);
}

/** Cases per property; CI's run.ts sets it. Each run prints its seed to replay a failure. */
export const RUNS = Number(process.env.STITCH_FUZZ_RUNS ?? 4000);
export const SEED = Number(process.env.STITCH_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
