using PruneNotebook.Core.Pruning;

namespace PruneNotebook.Cli.Tests;

public class FailureReportTests
{
    [Fact]
    public void A_bug_exits_with_70_saying_it_is_a_bug_with_type_and_stack()
    {
        var error = new StringWriter();
        var code = CliApp.Report(Thrown(() => ((string?)null)!.Trim()), error);
        Assert.Equal(CliApp.InternalError, code);
        Assert.Equal(70, code);
        var lines = error.ToString().Split('\n');
        Assert.StartsWith("prunenotebook: The command stopped on an unexpected error, a bug rather than a problem with your input (NullReferenceException: ", lines[0]);
        Assert.StartsWith("System.NullReferenceException", lines[1]);
        Assert.Contains(lines, l => l.Contains("   at ") && l.Contains(nameof(A_bug_exits_with_70_saying_it_is_a_bug_with_type_and_stack)));
    }

    [Fact]
    public void A_dotnet_collection_refusing_an_argument_is_a_bug_too_but_bad_input_to_the_library_is_not()
    {
        var error = new StringWriter();
        Assert.Equal(70, CliApp.Report(Thrown(() => new Dictionary<string, int> { ["a"] = 1 }.Add("a", 2)), error));
        error = new StringWriter();
        Assert.Equal(1, CliApp.Report(Thrown(() => PruningAmount.Parse("1.5")), error));
        Assert.Equal("prunenotebook: amount=1.5 should either be a float in the range [0, 1] or a non-negative integer.", error.ToString().Trim());
    }

    [Fact]
    public void Bad_input_on_the_command_line_exits_with_1_in_one_line()
    {
        var (code, _, error) = CliRunner.Run(100, "prune", "--model", "lenet5", "--amount", "-0.5");
        Assert.Equal(1, code);
        Assert.Single(error.Trim().Split('\n'));
    }

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            return e;
        }
        throw new InvalidOperationException("expected an exception");
    }
}
