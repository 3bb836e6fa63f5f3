using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Models;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class TransformerBlockTests
{
    private static Tensor Param(nn.Module module, string name) => module.named_parameters().Single(p => p.name == name).parameter.detach();

    [Fact]
    public void Attention_equals_softmax_of_scaled_query_key_products_times_values_per_head()
    {
        manual_seed(1);
        using var attention = new MultiHeadSelfAttention(8, 2);
        using var x = randn(3, 5, 8);
        using var actual = attention.call(x);

        Tensor Project(string layer) => x.matmul(Param(attention, $"{layer}.weight").t()) + Param(attention, $"{layer}.bias");
        using var scope = NewDisposeScope();
        var heads = new List<Tensor>();
        for (var h = 0; h < 2; h++)
        {
            var q = Project("query")[.., .., (h * 4)..(h * 4 + 4)];
            var k = Project("key")[.., .., (h * 4)..(h * 4 + 4)];
            var v = Project("value")[.., .., (h * 4)..(h * 4 + 4)];
            heads.Add(q.matmul(k.transpose(1, 2)).div(2.0).softmax(-1).matmul(v));
        }
        var expected = cat(heads, -1).matmul(Param(attention, "output.weight").t()) + Param(attention, "output.bias");
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-5));
        Assert.Equal(2, attention.Heads);
    }

    [Fact]
    public void Causal_attention_does_not_look_at_later_tokens()
    {
        manual_seed(2);
        using var block = new TransformerBlock(8, 2, 16, causal: true);
        block.eval();
        using var x = randn(1, 6, 8);
        using var changed = x.clone();
        changed[.., 4..].add_(randn(1, 2, 8));
        using var a = block.call(x);
        using var b = block.call(changed);
        Assert.True(a[.., ..4].allclose(b[.., ..4], atol: 1e-6));
        Assert.False(a[.., 4..].allclose(b[.., 4..], atol: 1e-3));

        using var open = new TransformerBlock(8, 2, 16);
        open.eval();
        using var c = open.call(x);
        using var d = open.call(changed);
        Assert.False(c[.., ..4].allclose(d[.., ..4], atol: 1e-3));
    }

    [Fact]
    public void Summary_counts_every_projection_the_attention_matmuls_and_the_norms()
    {
        // D = 8, H = 2, M = 16, T = 5, batch 2.
        const long d = 8, m = 16, t = 5, n = 2;
        using var block = new TransformerBlock(d, 2, m);
        var summary = NetworkSummary.Create(block, [n, t, d]);
        Assert.Empty(summary.UncountedLayerTypes);
        Assert.Equal(4 * (d * d + d) + 2 * 2 * d + (d * m + m) + (m * d + d), summary.TotalParameters);
        var projections = n * t * (4 * d * d + 2 * m * d);
        var attention = 2 * n * t * t * d;
        var norms = 2 * n * t * d;
        Assert.Equal(projections + attention + norms, summary.TotalMacs);
        Assert.Equal(attention, summary.Layers.Single(l => l.Type == nameof(ScaledDotProductAttention)).Macs);
        Assert.Equal(["attention.norm", "attention.inner.query", "attention.inner.key", "attention.inner.value", "attention.inner.attend",
            "attention.inner.output", "mlp.norm", "mlp.inner.fc1", "mlp.inner.gelu", "mlp.inner.fc2"], summary.Layers.Select(l => l.Name));
    }

    [Fact]
    public void Heads_must_divide_the_width()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MultiHeadSelfAttention(10, 3));
        Assert.Contains("divide the width 10", error.Message);
    }
}
