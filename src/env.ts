// The environment as the resolver reads it: names to values, read-only. On the ground floor
// because catalog conditions, the store's location, the records' directories and the
// resolver all read it (docs/contributing.md, "Floors").

export type Env = Readonly<Record<string, string | undefined>>;
