using PruneNotebook.Core.Reports;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class SparsityReportTests
{
    [Fact]
    public void Counts_zeros_dead_units_and_dead_inputs_exactly_with_nan_and_negative_entries_as_nonzero()
    {
        using var model = nn.Sequential(("fc", nn.Linear(4, 3)), ("conv", nn.Conv2d(2, 3, 2)));
        using (no_grad())
        {
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            // fc.weight (3 units × 4 inputs): unit 1 dead, inputs 2 and 3 dead; a NaN and a negative entry are not zeros.
            parameters["fc.weight"].copy_(tensor(new float[,] { { 1, 0, 0, 0 }, { 0, 0, 0, 0 }, { float.NaN, -2, 0, 0 } }));
            parameters["fc.bias"].copy_(tensor(new float[] { 0, 5, 0 }));
            // conv.weight (3 filters × 2 input channels × 2 × 2): filter 0 dead, input channel 1 dead, one entry left in filter 2.
            var conv = zeros(3, 2, 2, 2);
            conv[1, 0].fill_(0.5f);
            conv[2, 0, 1, 1] = tensor(-1e-30f);
            parameters["conv.weight"].copy_(conv);
            parameters["conv.bias"].zero_();
        }

        var report = SparsityReport.Create(model);

        var fc = report["fc.weight"];
        Assert.Equal((12L, 9L, 1L, 2L), (fc.Count, fc.Zeros, fc.DeadUnits, fc.DeadInputs));
        var bias = report["fc.bias"];
        Assert.Equal((3L, 2L, 2L, 0L), (bias.Count, bias.Zeros, bias.DeadUnits, bias.DeadInputs));
        var filters = report["conv.weight"];
        Assert.Equal((24L, 19L, 1L, 1L), (filters.Count, filters.Zeros, filters.DeadUnits, filters.DeadInputs));
        Assert.Equal(3, report["conv.bias"].Zeros);
        Assert.Equal(9 + 2 + 19 + 3, report.Zeros);
    }

    [Fact]
    public void A_float64_entry_too_small_for_float32_still_counts_as_nonzero()
    {
        using var model = nn.Linear(3, 2, hasBias: false, dtype: ScalarType.Float64);
        using (no_grad())
            model.weight!.copy_(tensor(new double[,] { { 1e-300, 0, 0 }, { 0, 0, 0 } }, dtype: ScalarType.Float64));

        var weight = SparsityReport.Create(model)["weight"];

        Assert.Equal((5L, 1L, 2L), (weight.Zeros, weight.DeadUnits, weight.DeadInputs));
    }
}
