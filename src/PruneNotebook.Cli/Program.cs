using PruneNotebook.Cli;
using Spectre.Console;

// Before anything touches TorchSharp: the dotnet tool finds it in the NuGet packages folder.
if (!TorchSharpLocator.Install(Console.Error))
    return CliApp.Failure;
return CliApp.Run(args, AnsiConsole.Console, Console.Error);
