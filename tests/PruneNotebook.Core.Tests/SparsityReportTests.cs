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

    [Theory]
    [InlineData(new long[] { 300, 1003 })]        // rows of vectors and a tail
    [InlineData(new long[] { 64, 32, 3, 3 })]      // conv filters
    public void The_CPU_scan_counts_what_the_tensor_ops_count(long[] shape)
    {
        var generator = new Generator(7);
        using var scope = NewDisposeScope();
        // 95 % zeros, dead units and inputs, and the entries that test the rule: NaN and denormals count, −0 does not.
        var value = randn(shape, generator: generator).mul_(rand(shape, generator: generator).gt(0.95f));
        value.narrow(0, 5, 3).zero_();
        value.narrow(1, 2, 4).zero_();
        var flat = value.view(-1);
        flat[0] = tensor(float.NaN);
        flat[1] = tensor(-0.0f);
        flat[2] = tensor(1e-42f);
        var entries = flat.data<float>().ToArray();
        var (units, inputs) = (shape[0], shape[1]);
        var inner = entries.Length / (units * inputs);
        var expected = (
            entries.LongCount(v => v != 0),
            Enumerable.Range(0, (int)units).LongCount(u => entries.Skip((int)(u * inputs * inner)).Take((int)(inputs * inner)).All(v => v == 0)),
            Enumerable.Range(0, (int)inputs).LongCount(i => Enumerable.Range(0, entries.Length).Where(j => j / inner % inputs == i).All(j => entries[j] == 0)));

        Assert.Equal(expected, NonzeroScan.Counts(value));
        Assert.Equal(expected, NonzeroScan.Counts(value, vectorized: false));
        var withTensorOps = SparsityReport.MatrixCounts(value, tensorOps: true).Select(c => c.item<long>()).ToArray();
        Assert.Equal(expected, (withTensorOps[0], withTensorOps[1], withTensorOps[2]));
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
