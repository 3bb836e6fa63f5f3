using PruneNotebook.Tests.Shared;

namespace PruneNotebook.Interactive.Tests;

/// <summary>
/// The kernel as Jupyter starts it from the kernel spec ./build.sh registers: notebooks still run and chart, and
/// nothing of the kernel listens beyond loopback (its sockets are read from /proc; nothing connects anywhere).
/// </summary>
public sealed class JupyterKernelTests(JupyterKernelSession session) : IClassFixture<JupyterKernelSession>
{
    [Fact]
    public void The_installed_kernel_spec_binds_the_HTTP_API_to_loopback()
    {
        Assert.True(session.Kernel.Argv.Contains("--http-local-only"),
            $"the .net-csharp kernel spec runs '{string.Join(' ', session.Kernel.Argv)}': run ./build.sh setup (eng/jupyter_kernels_local_only.py)");
    }

    [Fact]
    public void The_packed_extension_loads_and_draws_a_chart_with_plotly_inlined()
    {
        Assert.True(session.PackageSource.Status == "ok", session.PackageSource.Problems);
        Assert.True(session.Extension.Status == "ok", session.Extension.Problems);
        Assert.Contains(session.Extension.Html, html => html.Contains("#!sparsity"));   // the usage card
        Assert.True(session.Chart.Status == "ok", session.Chart.Problems);
        var chart = Assert.Single(session.Chart.Html);
        Assert.Contains("(function (define, module, exports)", chart);   // plotly.js inlined, no CDN
        Assert.Contains("Plotly.newPlot(", chart);
        Assert.Contains("conv1.weight", chart);
    }

    [Fact]
    public void Every_socket_the_kernel_and_its_child_processes_listen_on_is_loopback()
    {
        var sockets = ListeningSockets.OfProcessTree(session.Kernel.KernelProcessId);
        // The reader sees the kernel's own sockets: every port of its connection file listens.
        Assert.Superset(session.Kernel.ConnectionPorts.ToHashSet(), sockets.Select(s => s.Port).ToHashSet());
        Assert.True(sockets.All(s => s.IsLoopback),
            $"listening beyond loopback: {string.Join(", ", sockets.Where(s => !s.IsLoopback))} (all: {string.Join(", ", sockets)})");
    }
}
