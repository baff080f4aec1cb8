namespace Stasis.Criu.Images;

/// <summary>One mapping (VMA) of a process.</summary>
/// <param name="Protection">rwxp / rw-s style, like /proc/PID/maps.</param>
/// <param name="Kind">file-private, file-shared, anon-private, anon-shared, heap, stack, vdso, vvar, vsyscall,
/// sysvipc, socket, aio or other.</param>
/// <param name="Path">The mapped file, when CRIU recorded it.</param>
/// <param name="ResidentPages">Pages of this mapping in the process's pagemap.</param>
public sealed record MemoryArea(ulong Start, ulong End, string Protection, string Kind, string? Path, ulong ResidentPages);
