using System.Runtime.InteropServices;

namespace Stasis.Util;

/// <summary>Native allocations freed together (a spawn's argv and envp strings).</summary>
internal sealed unsafe class NativeBlocks
{
    private nint[] _blocks = new nint[32];
    private int _count;

    public void Add(void* block)
    {
        if (_count == _blocks.Length)
        {
            var larger = new nint[_count * 2];
            _blocks.AsSpan().CopyTo(larger);
            _blocks = larger;
        }
        _blocks[_count++] = (nint)block;
    }

    public void FreeAll()
    {
        for (var i = 0; i < _count; i++) NativeMemory.Free((void*)_blocks[i]);
        _count = 0;
    }
}
