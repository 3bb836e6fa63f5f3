using Spectre.Console;

namespace PruneNotebook.Cli.Tests;

/// <summary>Runs the command line in process, as a terminal without colours or prompts of the given width would.</summary>
internal static class CliRunner
{
    public static (int Code, string Output, string Error) Run(int width, params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        var error = new StringWriter();
        var code = CliApp.Run(args, console, error);
        return (code, output.ToString(), error.ToString());
    }
}
