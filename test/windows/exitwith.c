// exitwith N: ends with exit code N, any 32-bit value, given in decimal or as 0x-hex
// (exitwith 300, exitwith 0xC0000005). ExitProcess hands the whole DWORD to
// GetExitCodeProcess; that is what stitch must pass on unchanged.
#include <windows.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  const char *n = argv[1];
  int hex = n[0] == '0' && (n[1] == 'x' || n[1] == 'X');
  ExitProcess((UINT)strtoull(hex ? n + 2 : n, NULL, hex ? 16 : 10));
}
