// exitcode COMMAND [ARGS...]: runs the rest of its own command line, as written, with
// CreateProcess, waits, and prints `exit=N`: the child's whole 32-bit exit code from
// GetExitCodeProcess, unsigned decimal. (cmd's %ERRORLEVEL% is a signed int, and a batch
// file's cmd may take a child's 0xC000013A, STATUS_CONTROL_C_EXIT, for a Ctrl-C of its own
// and ask whether to end the batch; a wine process's status as Linux sees it keeps only
// 8 bits.)
#include <windows.h>
#include <stdio.h>

int main(void) {
  // Step over argv[0] the way the command line quotes it: "C:\a b\exitcode.exe" or exitcode.exe.
  wchar_t *rest = GetCommandLineW();
  if (*rest == L'"') {
    for (rest++; *rest && *rest != L'"'; rest++) {}
    if (*rest) rest++;
  } else {
    while (*rest && *rest != L' ' && *rest != L'\t') rest++;
  }
  while (*rest == L' ' || *rest == L'\t') rest++;
  if (!*rest) return 2;

  STARTUPINFOW si = {sizeof si};
  PROCESS_INFORMATION pi;
  if (!CreateProcessW(NULL, rest, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
    printf("cannot run (error %lu)\n", GetLastError());
    return 1;
  }
  DWORD code;
  WaitForSingleObject(pi.hProcess, INFINITE);
  GetExitCodeProcess(pi.hProcess, &code);
  printf("exit=%lu\n", code);
  return 0;
}
