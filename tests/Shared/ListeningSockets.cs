using System.Globalization;
using System.Net;

namespace PruneNotebook.Tests.Shared;

/// <summary>
/// Reads which TCP sockets a process and all its descendants listen on, from Linux's /proc, without connecting
/// to anything: the LISTEN rows of /proc/&lt;pid&gt;/net/tcp and tcp6 whose socket inode the process holds
/// (/proc/&lt;pid&gt;/fd links "socket:[inode]"). Linked into the test projects that start servers (the kernel, the Slurm test cluster).
/// </summary>
internal static class ListeningSockets
{
    private const string ListenState = "0A";

    /// <summary>Every listening TCP socket held by <paramref name="rootProcessId"/> or any of its descendants.</summary>
    public static IReadOnlyList<ListeningSocket> OfProcessTree(int rootProcessId)
    {
        var sockets = new List<ListeningSocket>();
        foreach (var pid in ProcessTree(rootProcessId))
        {
            var inodes = SocketInodes(pid);
            foreach (var table in new[] { "tcp", "tcp6" })
            {
                foreach (var line in ReadLinesOrNone($"/proc/{pid}/net/{table}").Skip(1))
                {
                    if (ParseListener(line) is { } listener && inodes.Contains(listener.Inode))
                        sockets.Add(new ListeningSocket(pid, listener.Address, listener.Port));
                }
            }
        }
        return sockets;
    }

    /// <summary>
    /// One row of /proc/net/tcp or tcp6 ("sl local_address rem_address st ... uid timeout inode ..."): its local
    /// address, port and socket inode if it is in the LISTEN state, else null. Addresses are hexadecimal 32-bit
    /// words in the kernel's byte order (127.0.0.1 on x86 reads 0100007F); the port is plain hexadecimal.
    /// </summary>
    public static (IPAddress Address, int Port, long Inode)? ParseListener(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 10 || fields[3] != ListenState)
            return null;
        var (address, port) = (fields[1].Split(':')[0], fields[1].Split(':')[1]);
        var bytes = new byte[address.Length / 2];
        for (var i = 0; i < bytes.Length; i += 4)
            BitConverter.GetBytes(uint.Parse(address.AsSpan(2 * i, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).CopyTo(bytes, i);
        return (new IPAddress(bytes), int.Parse(port, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            long.Parse(fields[9], CultureInfo.InvariantCulture));
    }

    private static List<int> ProcessTree(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
                continue;
            var stat = ReadLinesOrNone($"{directory}/stat").FirstOrDefault();
            if (stat is null)
                continue;
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
        }
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(children.GetValueOrDefault(tree[i], []));
        return tree;
    }

    private static HashSet<long> SocketInodes(int pid)
    {
        var inodes = new HashSet<long>();
        try
        {
            foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
            {
                var target = TryLinkTarget(fd);
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(long.Parse(target["socket:[".Length..^1], CultureInfo.InvariantCulture));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited while we looked.
        }
        return inodes;
    }

    private static string? TryLinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;   // the descriptor was closed while we looked
        }
    }

    private static string[] ReadLinesOrNone(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];   // the process exited while we looked
        }
    }
}
