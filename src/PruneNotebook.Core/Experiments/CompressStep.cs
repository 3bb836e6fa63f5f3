using System.Globalization;
using System.Text.Json.Serialization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Removes the least important units of every coupled group (<see cref="NetworkSurgery.Compress"/>): the network gets
/// physically smaller. Adds <c>&lt;label&gt;.parameters_before</c>/<c>_after</c>, <c>.macs_before</c>/<c>_after</c> and
/// <c>.latency_ms_before</c>/<c>_after</c> (the fastest of <paramref name="LatencyRepeats"/> passes of a batch of 64).
/// </summary>
/// <param name="Criterion">A registered criterion that scores units (<see cref="Criteria"/>): <c>l1</c>, <c>l2</c>, <c>random</c> (seeded by the trial's seed), <c>bn</c>, <c>taylor</c> or <c>apoz</c> (the last two measure training batches).</param>
/// <param name="Amount">PyTorch's amount: a fraction of the units still present (<c>0.5</c>), or a whole-number count (per group when local, in total when global).</param>
/// <param name="Scope"><c>local</c> (each group) or <c>global</c>.</param>
/// <param name="RoundTo">Kept unit counts are rounded to a multiple of this.</param>
/// <param name="MaxFraction">The most any one group may lose.</param>
/// <param name="Ignore">Layers whose units are kept whole (e.g. the classifier).</param>
/// <param name="LatencyRepeats">Timed passes before and after.</param>
/// <param name="Label">Prefix of the figures; default <c>compress</c>.</param>
/// <param name="Heads">Attention heads to remove (<see cref="CompressionOptions.Heads"/>), as an amount; unset (default) keeps every head.</param>
/// <param name="NormalizedGroups">Also cut groups a LayerNorm normalises (<see cref="CompressionOptions.NormalizedGroups"/>).</param>
public sealed record CompressStep(
    string Criterion = "l1",
    [property: JsonConverter(typeof(PruningAmountJsonConverter))] PruningAmount Amount = default,
    string Scope = "local",
    int RoundTo = 1,
    double MaxFraction = 1.0,
    IReadOnlyList<string>? Ignore = null,
    int LatencyRepeats = 10,
    string Label = "compress",
    [property: JsonConverter(typeof(PruningAmountJsonConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] PruningAmount Heads = default,
    bool NormalizedGroups = false) : TrialStep
{
    internal override void Validate(DataSpec data)
    {
        if (Amount.Fraction is null && Amount.Count is null)
            throw new ArgumentException("A compress step needs \"amount\": a fraction of the units (0.5) or a count (16).");
        ExperimentCriteria.Check(Criterion, CriterionUse.Groups);
        Options().Validate();
        if (LatencyRepeats < 1)
            throw new ArgumentException($"A compress step needs at least 1 timed pass, got {LatencyRepeats}.");
        TrialContext.CheckLabel(Label);
    }

    internal override void Run(TrialContext context)
    {
        var criterion = ExperimentCriteria.Create(Criterion, context.Seed, CriterionUse.Groups);
        try
        {
            var report = NetworkSurgery.Compress(context.Model, Options(), criterion, context.InputShape,
                new SurgeryMeasurement(LatencyRepeats: LatencyRepeats), context.Train);
            context.Add(Label, "parameters_before", report.Before.Parameters);
            context.Add(Label, "parameters_after", report.After.Parameters);
            context.Add(Label, "macs_before", report.Before.Macs);
            context.Add(Label, "macs_after", report.After.Macs);
            context.Add(Label, "latency_ms_before", report.Before.LatencyMilliseconds);
            context.Add(Label, "latency_ms_after", report.After.LatencyMilliseconds);
        }
        finally
        {
            (criterion as IDisposable)?.Dispose();
        }
    }

    internal override string Describe() => string.Create(CultureInfo.InvariantCulture, $"compress ({Label}): {Criterion}, amount {Amount}{(Heads.Fraction is null && Heads.Count is null ? "" : $", heads {Heads}")}, {Scope}");

    private CompressionOptions Options() => new(Amount, PruningScopes.Parse(Scope), Ignore, MaxFraction, RoundTo,
        Heads.Fraction is null && Heads.Count is null ? null : Heads, NormalizedGroups);
}
