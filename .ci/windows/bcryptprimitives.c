/*
 * bcryptprimitives.dll for wine 8, which lacks it: Go's Windows runtime
 * (1.24 and later) draws its random numbers from ProcessPrng in this DLL
 * and stops before main without it. This one fills the buffer from
 * advapi32's RtlGenRandom (SystemFunction036), which wine has.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, chunk))
			return FALSE;
		data += chunk;
		length -= chunk;
	}
	return TRUE;
}
