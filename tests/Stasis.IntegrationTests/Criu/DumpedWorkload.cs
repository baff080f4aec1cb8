namespace Stasis.IntegrationTests.Criu;

/// <summary>Class fixture: one workload dumped twice, the second time after it opened a file and grew its heap.
/// Built on first use, after the test has checked its requirements.</summary>
public sealed class DumpedWorkload : IDisposable
{
    private readonly Lazy<(PythonWorkload Workload, string First, string Second)> _state = new(() =>
    {
        var w = new PythonWorkload();
        try
        {
            var first = w.NewDumpFolder("cp1");
            CriuTool.Dump(w.Pid, first);
            w.Grow();
            var second = w.NewDumpFolder("cp2");
            CriuTool.Dump(w.Pid, second);
            return (w, first, second);
        }
        catch
        {
            w.Dispose();
            throw;
        }
    });

    internal PythonWorkload Workload => _state.Value.Workload;
    /// <summary>The CRIU images folder of the first dump (inside a checkpoint folder cp1/).</summary>
    internal string FirstImages => _state.Value.First;
    internal string SecondImages => _state.Value.Second;

    public void Dispose()
    {
        if (_state.IsValueCreated)
            _state.Value.Workload.Dispose();
    }
}
