/*
 * A stand-in for Windows' bcryptprimitives.dll, which Wine 8 (Debian 12's) lacks. Rust's
 * standard library takes its random numbers from ProcessPrng there (Windows 10 and later), so
 * without it no Rust program starts under that Wine. This gives the same call on top of
 * RtlGenRandom (advapi32's SystemFunction036), which Wine implements from the host's
 * /dev/urandom. Only the Wine test uses it: it is copied into the test's own Wine prefix.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
