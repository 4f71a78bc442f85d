// parentpid: prints the pid of the process that started it, from a Toolhelp32 snapshot
// (what Windows itself records as th32ParentProcessID). Run inside an agent stand-in, it
// names that process, so a test can check which process stitch anchored on.
#include <windows.h>
#include <tlhelp32.h>
#include <stdio.h>

int main(void) {
  DWORD self = GetCurrentProcessId();
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  PROCESSENTRY32 e = {sizeof e};
  for (BOOL ok = Process32First(snap, &e); ok; ok = Process32Next(snap, &e)) {
    if (e.th32ProcessID == self) {
      printf("%lu\n", e.th32ParentProcessID);
      return 0;
    }
  }
  return 1;
}
