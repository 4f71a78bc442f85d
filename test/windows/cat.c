// cat: copies stdin to stdout, byte for byte. ReadFile and WriteFile on the standard
// handles, so no C runtime text mode turns \r\n into \n or stops at ^Z.
#include <windows.h>

int main(void) {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE);
  static char buf[65536];
  DWORD got, put;
  // A pipe whose writer has closed ends the loop (ReadFile fails with ERROR_BROKEN_PIPE).
  while (ReadFile(in, buf, sizeof buf, &got, NULL) && got > 0) {
    for (DWORD done = 0; done < got; done += put) {
      if (!WriteFile(out, buf + done, got - done, &put, NULL)) return 1;
    }
  }
  return 0;
}
