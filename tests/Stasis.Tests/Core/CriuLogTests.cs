using Shouldly;
using Stasis.Criu;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>The reasons a user sees when CRIU fails come from its log's "Error (…)" lines.</summary>
public sealed class CriuLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // Shaped like a real dump.log of CRIU 4.2 under runc on a machine without CAP_SYS_RESOURCE.
    private const string FailedDump = """
        (00.000000) Unable to get $HOME directory, local configuration file will not be used.
        (00.000041) Version: 4.2.1 (gitid 0)
        (00.000055) Running on host Linux 6.18.0 #1 SMP PREEMPT_DYNAMIC x86_64
        (00.141964) Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted
        (00.142480) cg-prop: 	Property "memory.kmem.tcp.limit_in_bytes"
        (00.161259) sockets: Sockets collect procedure family AF_INET proto IPPROTO_RAW: -2
        (00.199431) Warn  (compel/arch/x86/src/lib/infect.c:419): Will restore 23623 with interrupted system call
        (00.027213) Error (criu/sk-inet.c:191): inet: Connected TCP socket, consider using --tcp-established option.
        (00.027300) Error (criu/cr-dump.c:1654): Dump files (pid: 12) failed with -1
        (00.027400) Error (criu/cr-dump.c:2093): Dumping FAILED.
        """;

    [Fact]
    public void Error_lines_are_returned_with_their_source_and_the_rlimit_noise_is_dropped()
    {
        var errors = CriuLog.ReadErrors(_dir.File("dump.log", FailedDump));

        errors.ShouldBe([
            "inet: Connected TCP socket, consider using --tcp-established option. (criu/sk-inet.c:191)",
            "Dump files (pid: 12) failed with -1 (criu/cr-dump.c:1654)",
            "Dumping FAILED. (criu/cr-dump.c:2093)",
        ]);
        errors.ShouldNotContain(e => e.Contains("RLIMIT_NOFILE"));
        errors.ShouldNotContain(e => e.Contains("interrupted system call"));
    }

    [Fact]
    public void Error_lines_of_restored_tasks_and_of_the_restorer_are_found()
    {
        var log = _dir.File("restore.log", """
            (00.002408) 1183915: Error (criu/files-reg.c:2189): Can't open file proc/1/schedstat on restore: No such file or directory
            (00.054878) pie: 33928: Error (criu/pie/restorer.c:1832): Unable to create a thread: 33931
            (00.002455) Error (criu/cr-restore.c:2514): Restoring FAILED.
            """);

        CriuLog.ReadErrors(log).ShouldBe([
            "Can't open file proc/1/schedstat on restore: No such file or directory (criu/files-reg.c:2189)",
            "Unable to create a thread: 33931 (criu/pie/restorer.c:1832)",
            "Restoring FAILED. (criu/cr-restore.c:2514)",
        ]);
    }

    [Fact]
    public void Repeated_errors_are_shown_once()
    {
        var log = _dir.File("dump.log", """
            (00.010000) 7: Error (criu/files.c:10): Unable to open fd=3
            (00.020000) 8: Error (criu/files.c:10): Unable to open fd=3
            (00.030000) Error (criu/cr-dump.c:2093): Dumping FAILED.
            """);

        CriuLog.ReadErrors(log).ShouldBe(["Unable to open fd=3 (criu/files.c:10)", "Dumping FAILED. (criu/cr-dump.c:2093)"]);
    }

    [Fact]
    public void Beyond_the_limit_the_rest_is_counted()
    {
        var lines = Enumerable.Range(1, 11).Select(i => $"(00.0{i:D5}) Error (criu/x.c:{i}): problem {i}");
        var errors = CriuLog.ReadErrors(_dir.File("dump.log", string.Join('\n', lines)), max: 4);

        errors.Count.ShouldBe(5);
        errors.Take(4).ShouldBe(Enumerable.Range(1, 4).Select(i => $"problem {i} (criu/x.c:{i})"));
        errors[4].ShouldContain("7 more");
    }

    [Fact]
    public void A_log_with_only_noise_or_no_log_at_all_gives_no_reasons()
    {
        var log = _dir.File("dump.log", "(00.1) Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted\n");
        CriuLog.ReadErrors(log).ShouldBeEmpty();
        CriuLog.ReadErrors(Path.Combine(_dir.Path, "missing.log")).ShouldBeEmpty();
    }
}
