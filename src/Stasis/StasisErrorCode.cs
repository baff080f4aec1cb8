namespace Stasis;

/// <summary>Kinds of failure; the CLI maps each to its exit code.</summary>
public enum StasisErrorCode
{
    /// <summary>Anything not covered below.</summary>
    General = 1,
    /// <summary>A flag, name or value the user gave is not acceptable.</summary>
    InvalidArgument = 2,
    /// <summary>An unknown container, image, checkpoint or file.</summary>
    NotFound = 3,
    /// <summary>The object exists but is in the wrong state (running, in use, name taken).</summary>
    Conflict = 4,
    /// <summary>CRIU refused or failed to checkpoint or restore.</summary>
    Criu = 5,
    /// <summary>runc or conmon failed.</summary>
    Runtime = 6,
    /// <summary>An archive or tarball is damaged, hostile or does not match its manifest.</summary>
    BadArchive = 7,
    /// <summary>A tool or kernel feature this machine lacks.</summary>
    Unsupported = 8,
    /// <summary>The disk or another resource is exhausted.</summary>
    NoSpace = 9,
}
