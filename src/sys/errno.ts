// errno numbers to names, where Linux and macOS number them differently.

const NAMES: Record<string, Record<number, string>> = {
  linux: {
    1: "EPERM", 2: "ENOENT", 8: "ENOEXEC", 11: "EAGAIN", 13: "EACCES", 17: "EEXIST", 19: "ENODEV", 20: "ENOTDIR",
    21: "EISDIR", 22: "EINVAL", 28: "ENOSPC", 30: "EROFS", 36: "ENAMETOOLONG", 40: "ELOOP", 110: "ETIMEDOUT", 116: "ESTALE",
  },
  darwin: {
    1: "EPERM", 2: "ENOENT", 8: "ENOEXEC", 13: "EACCES", 17: "EEXIST", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR",
    22: "EINVAL", 28: "ENOSPC", 30: "EROFS", 35: "EAGAIN", 60: "ETIMEDOUT", 62: "ELOOP", 63: "ENAMETOOLONG", 70: "ESTALE",
  },
};

export function errnoName(n: number): string {
  return (NAMES[process.platform] ?? NAMES.linux!)[n] ?? `errno ${n}`;
}
