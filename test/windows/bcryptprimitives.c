// A stand-in for Windows' bcryptprimitives.dll, for running stitch under Wine older than
// 8.13 only. Never shipped, never used on Windows itself.
//
// Bun's Windows runtime imports bcryptprimitives.dll!ProcessPrng (the RNG that Windows 10
// and later use inside BCryptGenRandom). Wine has it since 8.13; Debian 12 ships Wine 8.0,
// which has no bcryptprimitives.dll at all: stitch.exe does not even start (exit 53,
// "Library bcryptprimitives.dll ... not found" with WINEDEBUG=err+module). Put beside
// stitch.exe, this one is found in the application's directory. test/windows/wine.ts
// builds and places it only when `wine --version` is older than 8.13.
// ProcessPrng is documented to always succeed; here it fills the buffer from
// SystemFunction036 (RtlGenRandom, advapi32), which Wine has had for ever.
//
// Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c bcryptprimitives.def -ladvapi32
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
  while (size > 0) {
    // RtlGenRandom takes a ULONG length: fill a larger buffer in pieces.
    ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk;
    size -= chunk;
  }
  return TRUE;
}
