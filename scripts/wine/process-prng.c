/* Wine 8 lacks ProcessPrng (bcryptprimitives.dll), which Rust's standard library imports on
   Windows; without it every Rust program fails to load under Wine (c0000135). This stand-in
   forwards to RtlGenRandom (SystemFunction036 in advapi32). Only for running tests under Wine. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    return SystemFunction036(data, (ULONG)length);
}
