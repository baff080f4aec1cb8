using Spectre.Console;

namespace Stasis.Cli.Output;

/// <summary>A Spectre console over the CLI's output writer, for the tree views. A terminal gets colours and its own
/// width; a pipe or file gets plain text and a wide line, so trees are not wrapped mid-path.</summary>
internal static class RichConsole
{
    public static IAnsiConsole For(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
            console.Profile.Width = 400;
        return console;
    }
}
