using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Runtime;

namespace PruneNotebook.Core.Tests;

public class AllocatorTuningTests
{
    [Fact]
    public void Library_calls_leave_the_allocator_alone_and_only_the_host_tunes_it()
    {
        // Nothing in this test assembly is a host: library entry points load TorchSharp and run, allocator untouched.
        TorchNativeLibraries.EnsureLoaded();
        using (var model = new LeNet5())
            NetworkSummary.Create(model, [1, 1, 28, 28]);
        Assert.False(AllocatorTuning.Applied);

        // A host (the extension, the command line, the benchmarks) chooses it at start-up.
        AllocatorTuning.Apply();
        var userChose = Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
                        || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null
                        || Environment.GetEnvironmentVariable(AllocatorTuning.OptOutVariable) == "1";
        var glibc = OperatingSystem.IsLinux() && File.Exists("/etc/debian_version");
        Assert.Equal(glibc && !userChose, AllocatorTuning.Applied);
    }
}
