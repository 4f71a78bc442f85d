// The session directory as the lifecycle sees it. The real adapter is fs-store.ts; tests
// use an in-memory one. Every method is total: failures come back as values.

export interface StoredFile {
  readonly name: string;
  /** The contents; undefined when unreadable, not a regular file, a link, or too large. */
  readonly text: string | undefined;
  readonly mtimeMs: number;
  /** A directory named *.session: never removed (it is not a session file). */
  readonly isDirectory: boolean;
  /** Identifies the exact file read, so removal can check the path still holds it. */
  readonly token: string;
}

export type CreateResult = "created" | "exists" | "failed";

export interface SessionStore {
  readonly dir: string;
  /** Where the file of that name is, for people to read (the platform's separator). */
  pathOf(name: string): string;
  /** Every `*.session` entry, read. Other names are never looked at. */
  list(): StoredFile[];
  /** One entry, or undefined when there is none. */
  read(name: string): StoredFile | undefined;
  /**
   * Creates the file only if it does not exist: the first writer wins ("exists" for the
   * others). Atomically where the file system has hard links; elsewhere a reader may find
   * it empty for a moment (design §6.5: "being written").
   */
  create(name: string, text: string): CreateResult;
  /** Removes the file if the path still holds the same file that was read. */
  remove(file: StoredFile): boolean;
  /** Gives a file another call is writing a moment to land (design §6.5: a few ms). */
  pause(): void;
}

export type StoreOpening =
  | { readonly ok: true; readonly store: SessionStore }
  | { readonly ok: false; readonly reason: string };
