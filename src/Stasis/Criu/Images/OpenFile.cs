namespace Stasis.Criu.Images;

/// <summary>One open file descriptor of a process.</summary>
/// <param name="Type">file, pipe, fifo, socket, eventfd, eventpoll, inotify, fanotify, signalfd, timerfd, tty, memfd,
/// namespace, tun, bpfmap, external or unknown.</param>
/// <param name="Path">The path for files, fifos, ttys and memfds; a description such as pipe:[id] or
/// tcp 127.0.0.1:80 for the rest.</param>
/// <param name="Position">The file offset, for regular files and memfds.</param>
/// <param name="Mode">r, w or rw, from the open flags when CRIU recorded them.</param>
public sealed record OpenFile(int Fd, string Type, string? Path, ulong? Position = null, string? Mode = null);
