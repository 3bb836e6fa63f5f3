using System.Net;

namespace PruneNotebook.Tests.Shared;

/// <summary>A TCP socket in the LISTEN state: the process that holds it and the address and port it listens on.</summary>
internal sealed record ListeningSocket(int ProcessId, IPAddress Address, int Port)
{
    /// <summary>
    /// True when only this machine can connect: 127.0.0.0/8, ::1 or an IPv4-mapped loopback address.
    /// 0.0.0.0 and :: (every interface) are not loopback.
    /// </summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address.IsIPv4MappedToIPv6 ? Address.MapToIPv4() : Address);

    /// <inheritdoc />
    public override string ToString() => $"{new IPEndPoint(Address, Port)} (pid {ProcessId})";
}
