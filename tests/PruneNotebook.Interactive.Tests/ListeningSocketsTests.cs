using System.Net;
using System.Net.Sockets;

using PruneNotebook.Tests.Shared;

namespace PruneNotebook.Interactive.Tests;

public sealed class ListeningSocketsTests
{
    private const string Rest = "00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0";

    [Theory]
    [InlineData("0100007F:0800", "127.0.0.1", true)]
    [InlineData("0101007F:0800", "127.0.1.1", true)]
    [InlineData("00000000:0800", "0.0.0.0", false)]   // every interface
    [InlineData("0F02000A:0800", "10.0.2.15", false)]
    [InlineData("00000000000000000000000001000000:0800", "::1", true)]
    [InlineData("0000000000000000FFFF00000100007F:0800", "::ffff:127.0.0.1", true)]
    [InlineData("00000000000000000000000000000000:0800", "::", false)]   // every interface, IPv4 too
    [InlineData("B80D0120000000000000000001000000:0800", "2001:db8::1", false)]
    public void A_listening_row_gives_its_address_port_and_whether_only_this_machine_can_connect(string local, string address, bool loopback)
    {
        var remote = local.Length > 13 ? "00000000000000000000000000000000:0000" : "00000000:0000";
        var row = ListeningSockets.ParseListener($"   0: {local} {remote} 0A {Rest}");

        Assert.NotNull(row);
        Assert.Equal(IPAddress.Parse(address), row.Value.Address);
        Assert.Equal(2048, row.Value.Port);
        Assert.Equal(4242, row.Value.Inode);
        Assert.Equal(loopback, new ListeningSocket(1, row.Value.Address, row.Value.Port).IsLoopback);
    }

    [Fact]
    public void A_connection_that_is_not_listening_is_not_a_listener()
    {
        Assert.Null(ListeningSockets.ParseListener($"   1: 0F02000A:0800 0100007F:9C40 01 {Rest}"));
        Assert.Null(ListeningSockets.ParseListener("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"));
    }

    [Fact]
    public void The_listeners_this_process_opens_on_loopback_are_found_with_their_ports()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var found = Assert.Single(ListeningSockets.OfProcessTree(Environment.ProcessId), s => s.Port == port);
            Assert.Equal(new ListeningSocket(Environment.ProcessId, IPAddress.Loopback, port), found);
            Assert.True(found.IsLoopback);
        }
        finally
        {
            listener.Stop();
        }
    }
}
