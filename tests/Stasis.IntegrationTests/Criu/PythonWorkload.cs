using System.Diagnostics;

namespace Stasis.IntegrationTests.Criu;

/// <summary>A small real process tree to checkpoint: a Python process in its own session that holds a file open at
/// offset 1234, a listening TCP socket on 127.0.0.1, both ends of an established connection, a string built at run
/// time, and a forked child. On SIGUSR1 it opens a second file and grows its heap (for diffs). Everything it creates
/// is killed by pid and deleted on dispose.</summary>
internal sealed class PythonWorkload : IDisposable
{
    private const string Script = """
        import os, signal, socket, sys, time
        os.setsid()
        null = os.open("/dev/null", os.O_RDWR)
        for i in (0, 1, 2):
            os.dup2(null, i)
        os.close(null)
        marker, data, ready = sys.argv[1], sys.argv[2], sys.argv[3]
        in_memory = "MEM-" + marker[::-1] + "-END"
        f = open(data, "rb")
        f.seek(1234)
        ls = socket.socket()
        ls.bind(("127.0.0.1", 0))
        ls.listen(4)
        port = ls.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        server, _ = ls.accept()
        child = os.fork()
        if child == 0:
            while True:
                time.sleep(1)
        grow = []
        def more(signum, frame):
            grow.append(open(data + ".second", "w"))
            grow.append(bytearray(b"x" * (8 * 1024 * 1024)))
            publish(ready + "2")
        signal.signal(signal.SIGUSR1, more)
        def publish(path):
            with open(path + ".tmp", "w") as r:
                r.write(f"{port} {child} {client.getsockname()[1]}")
            os.rename(path + ".tmp", path)
        publish(ready)
        while True:
            time.sleep(0.2)
        """;

    private readonly Process _process;

    public PythonWorkload()
    {
        Folder = Directory.CreateTempSubdirectory("stasis-criu-it-").FullName;
        ScriptPath = Path.Combine(Folder, "workload.py");
        DataPath = Path.Combine(Folder, "data.bin");
        ReadyPath = Path.Combine(Folder, "ready");
        Marker = "stasis-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(ScriptPath, Script);
        File.WriteAllBytes(DataPath, new byte[5000]);

        var psi = new ProcessStartInfo(Requirements.Python) { UseShellExecute = false };
        foreach (var a in new[] { ScriptPath, Marker, DataPath, ReadyPath })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
        (Port, ChildPid, ClientPort) = WaitReady(ReadyPath);
    }

    public string Folder { get; }
    public string ScriptPath { get; }
    public string DataPath { get; }
    public string ReadyPath { get; }
    public string Marker { get; }
    /// <summary>Built at run time, so it is in the heap and nowhere in argv.</summary>
    public string MemoryMarker => "MEM-" + new string(Marker.Reverse().ToArray()) + "-END";
    public int Pid => _process.Id;
    public int ChildPid { get; }
    public int Port { get; }
    public int ClientPort { get; }

    public string[] ExpectedCmdline => [Requirements.Python, ScriptPath, Marker, DataPath, ReadyPath];

    /// <summary>Makes the workload open a second file and allocate 8 MiB, and waits until it has.</summary>
    public void Grow()
    {
        Process.Start("kill", ["-USR1", Pid.ToString()])!.WaitForExit();
        WaitReady(ReadyPath + "2");
    }

    /// <summary>A fresh folder for a dump, inside the workload's folder so it is deleted with it.</summary>
    public string NewDumpFolder(string name)
    {
        var d = Path.Combine(Folder, name, "checkpoint");
        Directory.CreateDirectory(d);
        return d;
    }

    private (int, int, int) WaitReady(string path)
    {
        var sw = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the workload exited early with code {_process.ExitCode}");
            if (sw.Elapsed > TimeSpan.FromSeconds(20))
                throw new TimeoutException("the workload did not get ready in 20 s");
            Thread.Sleep(20);
        }
        var parts = File.ReadAllText(path).Split(' ').Select(int.Parse).ToArray();
        return (parts[0], parts[1], parts[2]);
    }

    public void Dispose()
    {
        if (ChildPid > 0)
        {
            try { using var child = Process.GetProcessById(ChildPid); child.Kill(); }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(Folder, recursive: true);
        }
    }
}
