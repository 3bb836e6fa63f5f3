using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Selection;
using static TorchSharp.torch;

namespace PruneNotebook.Interactive.Tests;

/// <summary>Bad input is one line; a bug says it is one and carries what a report needs; the kernel goes on either way.</summary>
[Collection(KernelCollection.Name)]
public sealed class FailureKindTests : KernelTestBase
{
    [Fact]
    public async Task An_unexpected_exception_is_reported_as_a_bug_with_its_type_and_stack()
    {
        await CSharp.SetValueAsync("broken", new BrokenEstimator(), typeof(IEstimator));
        var result = await Kernel.SendAsync(new SubmitCode("#!cv broken --data wine --folds 3"));
        var failure = Assert.Single(result.Events.OfType<CommandFailed>());
        var lines = failure.Message.Split('\n');
        Assert.StartsWith("#!cv stopped on an unexpected error, a bug rather than a problem with your input (NullReferenceException: ", lines[0]);
        Assert.Contains("Please report it", lines[0]);
        Assert.StartsWith("System.NullReferenceException", lines[1]);
        Assert.Contains(lines, l => l.Contains("   at ") && l.Contains(nameof(BrokenEstimator)));

        // The kernel answers the next cell.
        var html = await DisplayedHtml("#!cv logistic --data wine --folds 3");
        Assert.Contains("LogisticRegression", html);
    }

    [Fact]
    public async Task Bad_input_stays_one_line_without_a_stack()
    {
        var message = await FailureMessage("#!prune model --amount 1.5");
        Assert.DoesNotContain("bug", message);
        Assert.Contains("amount=1.5", message);
    }

    private sealed class BrokenEstimator : IEstimator
    {
        public string Name => "broken";

        public IReadOnlyDictionary<string, object> Parameters => new Dictionary<string, object>();

        public IFittedModel Fit(TabularDataset data)
        {
            string? missing = data.Name.Length < 0 ? "never" : null;
            _ = missing!.Length; // a defect: a null dereference
            return null!;
        }
    }
}
