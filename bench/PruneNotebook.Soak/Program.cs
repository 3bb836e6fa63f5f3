using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Cli;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Interactive;
using Spectre.Console;
using static TorchSharp.torch;

// Leak soak: one process, N cycles of create model → prune (global, then structured) → trim → train a few steps →
// summary → sparsity → dispose, driven through the magics of an in-process kernel; then N command-line runs in process
// (prune --weights --save, summary). Every 20 cycles it prints resident memory, the managed heap, TorchSharp's tensor
// count, how many of the disposed models are still reachable after a full collection ("models alive") and how many
// pruning masks and mask-hooked modules the process holds. TorchSharp's Tensor.TotalCount does not go down when a
// module's parameters are collected (measured: a disposed nn.Linear(4, 3) leaves it 2 higher although both Parameter
// objects are collected), so it rises by the parameters created per cycle even when nothing leaks; "models alive" and
// "masks" are the leak checks for what is ours.
//   dotnet run -c Release --project bench/PruneNotebook.Soak -- [--cycles 200] [--without-magics] [--redeclare]
// By default each cycle puts its model into the existing variable m (no compiled cell: the kernel's own per-cell cost
// does not hide ours) and, after disposing it, sends the kernel the request a front end sends after each cell (the
// variables view's RequestValueInfos), as the user's `m.Dispose();` cell would pass through the kernel.
// --redeclare assigns m with SetValueAsync instead, which compiles a submission as re-running `var m = new LeNet5();`
// does: Roslyn's script state keeps every earlier submission's variables, so every disposed model stays reachable; the
// masks and hooks must still be released. --without-magics runs the cycles with no magic: what the kernel keeps by itself.
// Set PRUNENOTEBOOK_DEFAULT_MALLOC=1 to run with glibc's default thresholds instead of the extension's AllocatorTuning.
var at = Array.IndexOf(args, "--cycles");
var cycles = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 200;
var withoutMagics = args.Contains("--without-magics");
var redeclare = args.Contains("--redeclare");

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var csharp = new CSharpKernel();
using var kernel = new CompositeKernel { csharp };
kernel.DefaultKernelName = csharp.Name;
var load = await kernel.SendAsync(new SubmitCode($"""
    #r "{typeof(PruneNotebookKernelExtension).Assembly.Location}"
    await new PruneNotebook.Interactive.PruneNotebookKernelExtension().OnLoadAsync(
        Microsoft.DotNet.Interactive.KernelInvocationContext.Current.HandlingKernel.RootKernel);
    """));
Fail(load, "loading the extension");
var generator = new Generator(1);
await csharp.SetValueAsync("samples", new TensorDataset(randn([256, 1, 28, 28], generator: generator), randint(10, [256], generator: generator)), typeof(TensorDataset));

string[] magics =
[
    "#!prune m --amount 0.5 --scope global",
    "#!prune m --amount 4 --structured --layers conv2",
    "#!trim m",
    "#!train m --data samples --epochs 1 --batch-size 64",
    "#!summary m",
    "#!sparsity m",
];
await csharp.SetValueAsync("m", null!, typeof(LeNet5));
var baseline = Snapshot();
Console.WriteLine($"kernel soak: {cycles} cycles of {string.Join(" → ", withoutMagics ? ["create"] : magics)} → dispose; " +
                  $"m {(redeclare ? "redeclared by SetValueAsync (a compiled submission per assignment)" : "assigned in place")}; " +
                  $"allocator tuning {(AllocatorTuning.Applied ? "on" : "off")}");
Console.WriteLine("cycle   RSS MB   managed MB   malloc used MB   malloc free MB   tensor count   models alive   masks   hooked modules");
var disposed = new List<WeakReference>();
Print(0, baseline, disposed);
Sample? warm = null;
for (var cycle = 1; cycle <= cycles; cycle++)
{
    disposed.Add(await Cycle(kernel, csharp, withoutMagics ? [] : magics, redeclare));
    if (cycle % 20 == 0)
    {
        var sample = Snapshot();
        Print(cycle, sample, disposed);
        warm ??= sample;
    }
}
var kernelEnd = Snapshot();
warm ??= kernelEnd; // fewer than 20 cycles: no growth after warm-up to report

// The same work as command lines, in process.
var folder = Directory.CreateTempSubdirectory("prunenotebook-soak-").FullName;
var weights = Path.Combine(folder, "lenet5.bin");
using (var model = new LeNet5())
    ModelFile.Save(model, weights);
var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });
Console.WriteLine($"command-line soak: {cycles} runs of prune --weights --save and summary --weights, in process");
Console.WriteLine("run     RSS MB   managed MB   malloc used MB   malloc free MB   tensor count                  masks   hooked modules");
var cliBaseline = Snapshot();
Print(0, cliBaseline, null);
Sample? cliWarm = null;
for (var run = 1; run <= cycles; run++)
{
    var pruned = Path.Combine(folder, "pruned.bin");
    foreach (var line in new[]
             {
                 new[] { "prune", "--model", "lenet5", "--weights", weights, "--amount", "0.5", "--scope", "global", "--save", pruned },
                 new[] { "summary", "--model", "lenet5", "--weights", pruned },
             })
    {
        var code = CliApp.Run(line, console, TextWriter.Null);
        if (code != 0)
            throw new InvalidOperationException($"prunenotebook {string.Join(' ', line)} exited with {code}");
    }
    if (run % 20 == 0)
    {
        var sample = Snapshot();
        Print(run, sample, null);
        cliWarm ??= sample;
    }
}
var cliEnd = Snapshot();
cliWarm ??= cliEnd;
Directory.Delete(folder, recursive: true);

Console.WriteLine($"kernel: RSS {Delta(kernelEnd.Rss - warm!.Rss)} MB from cycle 20 to {cycles} (goal ≤ 50; malloc used {Delta(kernelEnd.MallocUsed - warm.MallocUsed)} MB, " +
                  $"malloc free {Delta(kernelEnd.MallocFree - warm.MallocFree)} MB, managed {kernelEnd.Managed - warm.Managed:+0.0;-0.0} MB), tensor count {kernelEnd.Tensors - baseline.Tensors:+0;-0} against the start, " +
                  $"{disposed.Count(r => r.IsAlive)} of {disposed.Count} disposed models still reachable (goal 0{(redeclare ? "; the kernel's script state keeps them with --redeclare" : "")}), " +
                  $"masks {kernelEnd.Masks - baseline.Masks:+0;-0} and hooked modules {kernelEnd.Hooked - baseline.Hooked:+0;-0} against the start (goal 0)");
Console.WriteLine($"command line: RSS {Delta(cliEnd.Rss - cliWarm!.Rss)} MB from run 20 to {cycles} (goal ≤ 50; malloc used {Delta(cliEnd.MallocUsed - cliWarm.MallocUsed)} MB, " +
                  $"malloc free {Delta(cliEnd.MallocFree - cliWarm.MallocFree)} MB), tensor count {cliEnd.Tensors - cliBaseline.Tensors:+0;-0} against the start, " +
                  $"masks {cliEnd.Masks - cliBaseline.Masks:+0;-0} against the start (goal 0)");
var kept = kernelEnd.Masks != baseline.Masks || kernelEnd.Hooked != baseline.Hooked || cliEnd.Masks != cliBaseline.Masks || (!redeclare && disposed.Any(r => r.IsAlive));
return kernelEnd.Rss - warm.Rss <= 50 && cliEnd.Rss - cliWarm.Rss <= 50 && !kept ? 0 : 1;

// One cycle: a new model in m, the magics, then the model disposed and m emptied; a weak reference to the model. In a
// method of its own so that no local of the loop keeps the model.
static async Task<WeakReference> Cycle(CompositeKernel kernel, CSharpKernel csharp, IReadOnlyList<string> magics, bool redeclare)
{
    LeNet5? model = new LeNet5();
    var weak = new WeakReference(model);
    await Assign(csharp, model, redeclare);
    foreach (var magic in magics)
        Fail(await kernel.SendAsync(new SubmitCode(magic)), magic);
    model.Dispose();
    model = null; // a local that lives across awaits is a field of this method's state machine, which its task keeps
    await Assign(csharp, null, redeclare);
    Fail(await kernel.SendAsync(new RequestValueInfos(csharp.Name)), "asking for the kernel's variables");
    return weak;
}

static async Task Assign(CSharpKernel csharp, LeNet5? model, bool redeclare)
{
    if (redeclare)
        await csharp.SetValueAsync("m", model!, typeof(LeNet5));
    else
        csharp.ScriptState.GetVariable("m").Value = model;
}

// A change in whole megabytes with its sign; no "-0" for a value just below zero.
static string Delta(double megabytes) => ((long)Math.Round(megabytes)).ToString("+0;-0;0", CultureInfo.InvariantCulture);

static void Fail(KernelCommandResult result, string what)
{
    if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failure)
        throw new InvalidOperationException($"{what}: {failure.Message}");
}

static Sample Snapshot()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var rss = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    var kb = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    var (used, free) = Malloc();
    return new Sample(kb / 1024.0, GC.GetTotalMemory(false) / 1048576.0, used, free, Tensor.TotalCount, PruningMasks.Held, PruningMasks.Hooked);
}

// What glibc's allocator holds over all its arenas (mallinfo2): in use by the program (native tensors, libtorch, the
// runtime's own native allocations), and freed but kept in the process. NaN where the C library is not glibc.
static (double Used, double Free) Malloc()
{
    try
    {
        var info = mallinfo2();
        return ((info.Uordblks + info.Hblkhd) / 1048576.0, info.Fordblks / 1048576.0);
    }
    catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
    {
        return (double.NaN, double.NaN);
    }
}

[DllImport("libc")]
static extern MallInfo2 mallinfo2();

static void Print(int cycle, Sample s, List<WeakReference>? disposed) =>
    Console.WriteLine($"{cycle,5} {s.Rss,8:F0} {s.Managed,12:F1} {s.MallocUsed,16:F0} {s.MallocFree,16:F0} {s.Tensors,14} {(disposed is null ? "" : disposed.Count(r => r.IsAlive).ToString(CultureInfo.InvariantCulture)),14} {s.Masks,7} {s.Hooked,16}");

internal sealed record Sample(double Rss, double Managed, double MallocUsed, double MallocFree, long Tensors, int Masks, int Hooked);

/// <summary>glibc's <c>struct mallinfo2</c> (glibc 2.33 and later): ten <c>size_t</c> fields.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MallInfo2
{
    public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
}
