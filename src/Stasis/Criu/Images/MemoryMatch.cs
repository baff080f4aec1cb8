namespace Stasis.Criu.Images;

/// <summary>One hit of a memory search.</summary>
/// <param name="Address">The virtual address of the first matching byte in the process.</param>
/// <param name="Text">The matched bytes, shown as Latin-1 text.</param>
/// <param name="ContextAddress">The address of the first byte of <paramref name="Hexdump"/>.</param>
/// <param name="Hexdump">16 bytes a line: address, hex, printable characters.</param>
public sealed record MemoryMatch(int Pid, string Command, ulong Address, int Length, string Text, ulong ContextAddress, string Hexdump);
