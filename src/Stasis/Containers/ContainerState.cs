namespace Stasis.Containers;

/// <summary>Life of a container as users see it.</summary>
public enum ContainerState
{
    /// <summary>Created by runc, process not started yet.</summary>
    Created,
    Running,
    /// <summary>The process ended (exit code recorded).</summary>
    Exited,
    /// <summary>Stopped by a checkpoint; <c>restore</c> brings it back in place.</summary>
    Checkpointed,
}
