using PruneNotebook.Core.Reports;
using PruneNotebook.Visualization;

namespace PruneNotebook.Visualization.Tests;

public class SurgeryReportHtmlTests
{
    [Fact]
    public void The_surgery_table_shows_figures_before_and_after_with_their_ratios_and_the_rebuilt_layers()
    {
        var report = new SurgeryReport("compress l1 50 % local", "VggNet", [1, 1, 28, 28], 64,
            new NetworkFigures(120_000, 7_457_152, 12.5, 0.9012), new NetworkFigures(31_000, 1_903_808, 4.0, 0.8954),
            [new LayerChange("features.conv2", "Conv2d", 16, 8, 16, 8), new LayerChange("fc2", "Linear", 10, 10, 128, 64)], []);
        var html = SurgeryReportHtml.ToHtml(report);
        Assert.Contains("VggNet · compress l1 50 % local", html);
        Assert.Contains(">120,000<", html);
        Assert.Contains(">3.87× fewer<", html);
        Assert.Contains(">7.46 M<", html);
        Assert.Contains(">3.92× fewer<", html);
        Assert.Contains("Latency (batch 64)", html);
        Assert.Contains(">12.50 ms<", html);
        Assert.Contains(">3.13× faster<", html);
        Assert.Contains(">90.12 %<", html);
        Assert.Contains(">−0.58 pt<", html);
        Assert.Contains(">16 → 8<", html);
        Assert.Contains(">10<", html);
        Assert.Contains(">128 → 64<", html);
        Assert.DoesNotContain("bypassed", html);
        Assert.DoesNotContain("channels-last", html);
    }

    [Fact]
    public void Image_networks_also_show_their_channels_last_latency_and_what_serving_them_so_gains()
    {
        var report = new SurgeryReport("compress l1 50 % local", "VggNet", [1, 3, 32, 32], 64,
            new NetworkFigures(2_198_602, 100_000_000, 90.0, null, 63.0), new NetworkFigures(815_018, 25_000_000, 28.0, null, 20.0), [], []);
        var html = SurgeryReportHtml.ToHtml(report);
        Assert.Contains(">Latency, channels-last batch<", html);
        Assert.Contains(">63.00 ms<", html);
        Assert.Contains(">3.15× faster<", html); // 63 / 20, same layout
        Assert.Contains(">3.21× faster<", html); // 90 / 28, as called
        Assert.Contains("the new network runs 4.50× faster than the old one did as it was called", html); // 90 / 20
        Assert.Equal(4.5, report.ChannelsLastSpeedup);
    }

    [Fact]
    public void Layer_pruning_lists_every_candidate_and_marks_the_dropped_ones()
    {
        var report = new SurgeryReport("drop 1 layer", "ResNet20", [1, 1, 28, 28], 64,
            new NetworkFigures(270_000, 40_000_000, 30, null), new NetworkFigures(265_000, 38_000_000, 28, null), [],
            [new LayerDropCandidate("stage1.2", "BasicBlock", 0.861, true), new LayerDropCandidate("stage3.1", "BasicBlock", 0.42, false)]);
        var html = SurgeryReportHtml.ToHtml(report);
        Assert.Contains("Layers ranked by accuracy when bypassed", html);
        Assert.Contains(">stage1.2<", html);
        Assert.Contains(">86.10 %<", html);
        Assert.Contains(">✓<", html);
        Assert.Contains(">42.00 %<", html);
        Assert.DoesNotContain("Accuracy<", html);
        Assert.DoesNotContain("Rebuilt layers", html);
        Assert.Equal(1, html.Split("✓").Length - 1);
    }

    [Fact]
    public void The_notebook_renderer_renders_surgery_reports()
    {
        Assert.Contains(typeof(SurgeryReport), NotebookRenderer.SupportedTypes);
        var report = new SurgeryReport("trim", "LeNet5", [1, 1, 28, 28], 64, new NetworkFigures(10, 100, 1, null), new NetworkFigures(5, 50, 0.5, null), [], []);
        Assert.Contains("LeNet5 · trim", new NotebookRenderer().Render(report));
    }
}
