// printenv NAME...: one line per NAME, `NAME=value` (UTF-8), or `NAME unset`.
// Read with GetEnvironmentVariableW, so the value is the environment's own, not the C
// runtime's copy of it in the console's code page.
#include <windows.h>

static void put(const char *s, int n) {
  DWORD w;
  WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), s, n < 0 ? lstrlenA(s) : n, &w, NULL);
}

static void putWide(const wchar_t *s) {
  static char utf8[4 * 32768];
  put(utf8, WideCharToMultiByte(CP_UTF8, 0, s, -1, utf8, sizeof utf8, NULL, NULL) - 1);
}

int wmain(int argc, wchar_t **argv) {
  static wchar_t value[32768];
  for (int i = 1; i < argc; i++) {
    putWide(argv[i]);
    SetLastError(0);
    DWORD n = GetEnvironmentVariableW(argv[i], value, 32768);
    // Set but empty: n is 0 and the last error stays 0.
    if (n == 0 && GetLastError() == ERROR_ENVVAR_NOT_FOUND) {
      put(" unset\n", -1);
    } else {
      put("=", -1);
      putWide(value);
      put("\n", -1);
    }
  }
  return 0;
}
