// args ARG...: each argument on its own line (UTF-8), as the C runtime split the command
// line; argv[0] is left out. Shows whether stitch passed a command's arguments on unchanged.
#include <windows.h>

int wmain(int argc, wchar_t **argv) {
  static char utf8[4 * 32768];
  DWORD w;
  for (int i = 1; i < argc; i++) {
    int n = WideCharToMultiByte(CP_UTF8, 0, argv[i], -1, utf8, sizeof utf8 - 1, NULL, NULL);
    utf8[n - 1] = '\n';
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), utf8, n, &w, NULL);
  }
  return 0;
}
