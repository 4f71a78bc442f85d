// Every number stitch hands to the C library or the kernel, or reads back from them (flags,
// syscall numbers, signal and errno numbers, struct sizes and field offsets), per target, in
// one table. Chosen once, at start-up, for the target the binary runs on; a target that is
// not in the table gets no FFI at all (libc.ts), so the runtime's own calls are used instead
// of a guess.
//
// Keys are the C names, so that test/abi/abi.test.ts can check every entry against the
// target's own headers: a probe compiled for each target (x64 and arm64 glibc, x64 musl,
// Windows through MinGW; macOS on the macOS CI jobs) prints the value of each name, and the
// test compares. Why it matters: arm64 numbers a few flags differently from x86-64 (O_NOFOLLOW
// is 0o100000 there, 0o400000 is O_LARGEFILE), and a wrong flag fails silently: open()
// with arm64's O_LARGEFILE for x86-64's O_NOFOLLOW follows the link it was meant to refuse.

export interface PosixAbi {
  readonly constants: {
    /** fcntl(2): the command that sets a descriptor's flags (FD_CLOEXEC among them). */
    readonly F_SETFD: number;
    /** fcntl(2): reads them; FD_CLOEXEC set on 0, 1 or 2 means the runtime opened it (output.ts). */
    readonly F_GETFD: number;
    readonly FD_CLOEXEC: number;
    /** Signals the runtime sets to "ignore" at start-up, reset before the exec. */
    readonly SIGPIPE: number;
    readonly SIGXFSZ: number;
  };
  /** The errno values stitch names in its messages and decisions. */
  readonly errno: Readonly<Record<ErrnoName, number>>;
  readonly layouts: {
    /** getpwuid_r's entry: its size, and where the home directory pointer is. */
    readonly "struct passwd": { readonly sizeof: number; readonly pw_dir: number };
  };
}

export interface LinuxAbi extends PosixAbi {
  readonly constants: PosixAbi["constants"] & {
    readonly O_RDONLY: number;
    readonly O_WRONLY: number;
    readonly O_CREAT: number;
    readonly O_EXCL: number;
    readonly O_NONBLOCK: number;
    readonly O_NOFOLLOW: number;
    readonly O_CLOEXEC: number;
    readonly AT_FDCWD: number;
    readonly AT_SYMLINK_NOFOLLOW: number;
    readonly AT_EMPTY_PATH: number;
    readonly STATX_BASIC_STATS: number;
    readonly SYS_statx: number;
    readonly S_IFMT: number;
    readonly S_IFREG: number;
    readonly S_IFDIR: number;
    readonly S_IFLNK: number;
  };
  readonly layouts: PosixAbi["layouts"] & {
    readonly "struct statx": {
      readonly sizeof: number;
      readonly stx_uid: number;
      readonly stx_mode: number;
      readonly stx_ino: number;
      readonly stx_size: number;
      readonly "stx_mtime.tv_sec": number;
      readonly "stx_mtime.tv_nsec": number;
      readonly "stx_ctime.tv_sec": number;
      readonly "stx_ctime.tv_nsec": number;
      readonly stx_dev_major: number;
      readonly stx_dev_minor: number;
    };
    /** readdir's entry: where the name starts (glibc and musl alike on 64-bit Linux). */
    readonly "struct dirent": { readonly d_name: number };
  };
}

export interface WindowsAbi {
  readonly constants: {
    readonly TH32CS_SNAPPROCESS: number;
    readonly PROCESS_QUERY_LIMITED_INFORMATION: number;
    readonly SYNCHRONIZE: number;
    /** As a signed pointer-sized integer: ((HANDLE)(LONG_PTR)-1). */
    readonly INVALID_HANDLE_VALUE: number;
    /** szExeFile's length in WCHARs. */
    readonly MAX_PATH: number;
  };
  readonly layouts: {
    readonly PROCESSENTRY32W: {
      readonly sizeof: number;
      readonly dwSize: number;
      readonly th32ProcessID: number;
      readonly th32ParentProcessID: number;
      readonly szExeFile: number;
    };
  };
  /** Known folder ids, as the registry writes them. */
  readonly guids: { readonly FOLDERID_Profile: string };
}

export const ERRNO_NAMES = [
  "EPERM", "ENOENT", "ENOEXEC", "EAGAIN", "EACCES", "EEXIST", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL",
  "ENOSPC", "EROFS", "ERANGE", "ENAMETOOLONG", "ELOOP", "ETIMEDOUT", "ESTALE",
  // What link(2) answers on a file system without hard links (the store's fallback).
  "EXDEV", "ENOSYS", "ENOTSUP", "EOPNOTSUPP",
  // Writing stitch's own output (cli/output.ts).
  "EINTR", "EIO", "EBADF", "EPIPE",
] as const;
export type ErrnoName = (typeof ERRNO_NAMES)[number];

/** Linux's errno numbers: asm-generic's, which x86-64 and AArch64 both use. */
const LINUX_ERRNO: Readonly<Record<ErrnoName, number>> = {
  EPERM: 1, ENOENT: 2, ENOEXEC: 8, EAGAIN: 11, EACCES: 13, EEXIST: 17, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22,
  ENOSPC: 28, EROFS: 30, ERANGE: 34, ENAMETOOLONG: 36, ELOOP: 40, ETIMEDOUT: 110, ESTALE: 116,
  // One number, two names, on Linux.
  EXDEV: 18, ENOSYS: 38, ENOTSUP: 95, EOPNOTSUPP: 95,
  EINTR: 4, EIO: 5, EBADF: 9, EPIPE: 32,
};

/**
 * Linux's numbers, given the two that x86-64 and AArch64 number differently: the flags, the
 * signals, errno, statx and the 64-bit structs are alike. (`layouts` keys: `struct NAME` or a
 * typedef → its size, `sizeof`, and field offsets, `offsetof`.) Written out in one literal,
 * not spread from a shared object: this module loads on every call, and an object spread
 * costs a JavaScript-implemented built-in's compilation (docs/performance.md).
 */
function linux(O_NOFOLLOW: number, SYS_statx: number): LinuxAbi {
  return {
    constants: {
      F_SETFD: 2,
      F_GETFD: 1,
      FD_CLOEXEC: 1,
      SIGPIPE: 13,
      SIGXFSZ: 25,
      O_RDONLY: 0,
      O_WRONLY: 1,
      O_CREAT: 0o100,
      O_EXCL: 0o200,
      O_NONBLOCK: 0o4000,
      O_CLOEXEC: 0o2000000,
      AT_FDCWD: -100,
      AT_SYMLINK_NOFOLLOW: 0x100,
      AT_EMPTY_PATH: 0x1000,
      STATX_BASIC_STATS: 0x7ff,
      S_IFMT: 0o170000,
      S_IFREG: 0o100000,
      S_IFDIR: 0o040000,
      S_IFLNK: 0o120000,
      O_NOFOLLOW,
      SYS_statx,
    },
    errno: LINUX_ERRNO,
    layouts: {
      "struct passwd": { sizeof: 48, pw_dir: 32 },
      "struct statx": {
        sizeof: 256,
        stx_uid: 20,
        stx_mode: 28,
        stx_ino: 32,
        stx_size: 40,
        "stx_mtime.tv_sec": 112,
        "stx_mtime.tv_nsec": 120,
        "stx_ctime.tv_sec": 96,
        "stx_ctime.tv_nsec": 104,
        stx_dev_major: 136,
        stx_dev_minor: 140,
      },
      "struct dirent": { d_name: 19 },
    },
  };
}

// x86-64 keeps the historical i386 numbers for these two.
const LINUX_X64 = linux(0o400000, 332);

// AArch64 takes asm-generic's: O_NOFOLLOW 0o100000 (0o400000 is O_LARGEFILE there) and
// the generic syscall table.
const LINUX_ARM64 = linux(0o100000, 291);

/** macOS, Intel and Apple silicon alike (XNU's BSD numbers; LP64 struct passwd). */
const DARWIN: PosixAbi = {
  constants: { F_SETFD: 2, F_GETFD: 1, FD_CLOEXEC: 1, SIGPIPE: 13, SIGXFSZ: 25 },
  errno: {
    EPERM: 1, ENOENT: 2, ENOEXEC: 8, EAGAIN: 35, EACCES: 13, EEXIST: 17, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22,
    ENOSPC: 28, EROFS: 30, ERANGE: 34, ENAMETOOLONG: 63, ELOOP: 62, ETIMEDOUT: 60, ESTALE: 70,
    EXDEV: 18, ENOSYS: 78, ENOTSUP: 45, EOPNOTSUPP: 102,
    EINTR: 4, EIO: 5, EBADF: 9, EPIPE: 32,
  },
  // pw_change and pw_class come before pw_gecos on the BSDs.
  layouts: { "struct passwd": { sizeof: 72, pw_dir: 48 } },
};

export const WINDOWS_X64: WindowsAbi = {
  constants: {
    TH32CS_SNAPPROCESS: 0x2,
    PROCESS_QUERY_LIMITED_INFORMATION: 0x1000,
    SYNCHRONIZE: 0x100000,
    INVALID_HANDLE_VALUE: -1,
    MAX_PATH: 260,
  },
  layouts: {
    PROCESSENTRY32W: { sizeof: 568, dwSize: 0, th32ProcessID: 8, th32ParentProcessID: 32, szExeFile: 44 },
  },
  guids: { FOLDERID_Profile: "5E6C858F-0E22-4760-9AFE-EA3317B67173" },
};

/** Every target's numbers, by `${platform}-${arch}` as the runtime names them. */
export const ABI = {
  "linux-x64": LINUX_X64,
  "linux-arm64": LINUX_ARM64,
  "darwin-x64": DARWIN,
  "darwin-arm64": DARWIN,
  "win32-x64": WINDOWS_X64,
} as const;

export type AbiTarget = keyof typeof ABI;

const here = `${process.platform}-${process.arch}`;
const hereAbi: PosixAbi | LinuxAbi | WindowsAbi | undefined = (ABI as Record<string, PosixAbi | LinuxAbi | WindowsAbi>)[here];

/** This target's Unix numbers; undefined on Windows and on a target not in the table. */
export function posixAbi(): PosixAbi | undefined {
  return process.platform !== "win32" ? (hereAbi as PosixAbi | undefined) : undefined;
}

/** This target's Linux numbers; undefined elsewhere. */
export function linuxAbi(): LinuxAbi | undefined {
  return process.platform === "linux" ? (hereAbi as LinuxAbi | undefined) : undefined;
}
