namespace Stasis.Containers;

/// <summary>One line of a container's log (conmon's k8s-file format: time, stream, F|P, text).</summary>
public sealed record LogLine(DateTimeOffset Time, string Stream, string Text, bool Partial);
