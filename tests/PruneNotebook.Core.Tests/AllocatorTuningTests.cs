using PruneNotebook.Core.Runtime;

namespace PruneNotebook.Core.Tests;

public class AllocatorTuningTests
{
    [Fact]
    public void On_linux_with_glibc_large_blocks_are_kept_unless_the_user_chose_otherwise()
    {
        TorchNativeLibraries.EnsureLoaded();
        var userChose = Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
                        || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null
                        || Environment.GetEnvironmentVariable(AllocatorTuning.OptOutVariable) == "1";
        var glibc = OperatingSystem.IsLinux() && File.Exists("/etc/debian_version");
        Assert.Equal(glibc && !userChose, AllocatorTuning.Applied);
    }
}
