using Stasis.Containers;
using Stasis.Images;
using Stasis.Runtime;

namespace Stasis;

/// <summary>The Stasis engine: one method per user verb. The CLI is a thin shell over this class, and any .NET
/// program can use it the same way. Thread-safe; every operation on a container holds that container's lock.
/// The verbs live in partial files by concern (Engine.Containers.cs, Engine.Checkpoints.cs, …).</summary>
public sealed partial class Engine
{
    private readonly StorePaths _paths;
    private readonly ContainerStore _containers;

    public Engine(EngineOptions? options = null)
    {
        Interop.LibcSignal.UnblockChildSignal();
        Options = options ?? new EngineOptions();
        _paths = new StorePaths(Options.Root, Options.EffectiveRunRoot);
        _containers = new ContainerStore(_paths);
        Tools = new ToolSet(Options);
        Images = new ImageStore(_paths, new Archives.TarLayerUnpacker());
        Volumes = new Volumes.VolumeStore(_paths);
        Runtime = new ContainerRuntime(_paths, Images, Volumes, Tools, Options);
    }

    internal ToolSet Tools { get; }
    internal ImageStore Images { get; }
    internal Volumes.VolumeStore Volumes { get; }
    internal ContainerRuntime Runtime { get; }

    public EngineOptions Options { get; }

    /// <summary>The persistent state root in use.</summary>
    public string Root => _paths.Root;

    /// <summary>The runtime state root in use.</summary>
    public string RunRoot => _paths.RunRoot;

    internal StorePaths Paths => _paths;

    internal ContainerStore Containers => _containers;

    /// <summary>The folder of a named checkpoint of a container (name or id); throws NotFound with a clear message.</summary>
    internal string ResolveCheckpointDirectory(string container, string checkpoint)
    {
        var rec = _containers.Resolve(container);
        var dir = _paths.Checkpoint(rec.Id, checkpoint);
        if (checkpoint.Contains('/') || checkpoint.StartsWith('.') || !Directory.Exists(dir))
            throw StasisException.NotFound($"container '{rec.Name}' has no checkpoint '{checkpoint}'");
        return dir;
    }
}
