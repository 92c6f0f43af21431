using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace MovieRecommender.Benchmarks.Index;

/// <summary>
/// The outside peer: USearch float32 HNSW with the inner-product metric (NuGet Cloud.Unum.USearch). The managed
/// wrapper cannot change the search expansion after construction nor reserve for a parallel build, so those two
/// calls go to the same native library through its C API on the wrapper's own handle.
/// </summary>
public sealed class UsearchPeer : IDisposable
{
    private readonly USearchIndex _index;
    private readonly IntPtr _handle;

    private UsearchPeer(USearchIndex index)
    {
        _index = index;
        _handle = (IntPtr)(typeof(USearchIndex).GetField("_index", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(index)
            ?? throw new InvalidOperationException("Cloud.Unum.USearch changed: no _index handle to reach the C API."));
    }

    public int Connectivity { get; private init; }

    public int ExpansionAdd { get; private init; }

    public static UsearchPeer Build(float[] items, int dim, int connectivity, int expansionAdd, int threads)
    {
        var index = new USearchIndex(MetricKind.Ip, ScalarKind.Float32, (ulong)dim, (ulong)connectivity, (ulong)expansionAdd, 64);
        var peer = new UsearchPeer(index) { Connectivity = connectivity, ExpansionAdd = expansionAdd };
        var rows = items.Length / dim;
        usearch_reserve(peer._handle, (UIntPtr)rows, out var error);
        Check(error);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var buffer = new float[dim];
            for (var r = t; r < rows; r += threads)
            {
                items.AsSpan(r * dim, dim).CopyTo(buffer);
                index.Add((ulong)r, buffer);
            }
        });
        return peer;
    }

    public void SetExpansionSearch(int expansion)
    {
        usearch_change_expansion_search(_handle, (UIntPtr)expansion, out var error);
        Check(error);
    }

    public long MemoryBytes()
    {
        var bytes = usearch_memory_usage(_handle, out var error);
        Check(error);
        return (long)bytes;
    }

    public int[] Search(float[] query, int k)
    {
        var found = _index.Search(query, k, out var keys, out _);
        var ids = new int[found];
        for (var i = 0; i < found; i++) ids[i] = (int)keys[i];
        return ids;
    }

    public void Dispose() => _index.Dispose();

    private static void Check(IntPtr error)
    {
        if (error != IntPtr.Zero) throw new InvalidOperationException($"USearch: {Marshal.PtrToStringAnsi(error)}");
    }

    [DllImport("libusearch_c", CallingConvention = CallingConvention.Cdecl)]
    private static extern void usearch_reserve(IntPtr index, UIntPtr capacity, out IntPtr error);

    [DllImport("libusearch_c", CallingConvention = CallingConvention.Cdecl)]
    private static extern void usearch_change_expansion_search(IntPtr index, UIntPtr expansion, out IntPtr error);

    [DllImport("libusearch_c", CallingConvention = CallingConvention.Cdecl)]
    private static extern UIntPtr usearch_memory_usage(IntPtr index, out IntPtr error);
}
