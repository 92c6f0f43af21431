// Stack buffers are not zeroed: every stackalloc here is written before it is read (a scan's 8 KB chunk of scores was
// cleared once per IVF list probed, for nothing). CandidateHeap's histogram and FloatDot's portable accumulators
// clear themselves.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
