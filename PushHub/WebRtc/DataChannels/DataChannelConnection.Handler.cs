using Ticker.PushHub.WebRtc.Sctp;

namespace Ticker.PushHub.WebRtc.DataChannels;

/// <summary>What the association reports, turned into DCEP replies, channel state and events.</summary>
public sealed partial class DataChannelConnection
{
    private bool _closedRaised;

    private void Raise(DataChannelEvent dataChannelEvent)
    {
        if (!_closedRaised)
        {
            _events.Enqueue(dataChannelEvent);
        }
    }

    private void OnMessage(ushort streamId, uint ppid, ReadOnlySpan<byte> payload)
    {
        if (ppid == Ppid.Dcep)
        {
            OnDcep(streamId, payload);
            return;
        }

        if (!_channels.TryGet(streamId, out var channel) || channel.ClosedRaised)
        {
            Counters.MessagesDropped++; // e.g. DATA before OPEN, or after close
            return;
        }

        if (channel.Negotiated && !channel.OpenedRaised && ppid is Ppid.String or Ppid.Binary or Ppid.StringEmpty or Ppid.BinaryEmpty)
        {
            channel.OpenedRaised = true;
            Raise(new DataChannelEvent.ChannelOpened(streamId, channel.Label, channel.Protocol, channel.Ordered, channel.MaxRetransmits, channel.MaxLifetimeMs));
        }

        switch (ppid)
        {
            case Ppid.String or Ppid.Binary:
                Raise(new DataChannelEvent.MessageReceived(streamId, ppid == Ppid.Binary, payload.ToArray()));
                break;
            case Ppid.StringEmpty or Ppid.BinaryEmpty:
                Raise(new DataChannelEvent.MessageReceived(streamId, ppid == Ppid.BinaryEmpty, []));
                break;
            default:
                Counters.MessagesDropped++; // includes the deprecated partial PPIDs 52 and 54
                break;
        }
    }

    private void OnDcep(ushort streamId, ReadOnlySpan<byte> message)
    {
        if (message.Length == 1 && message[0] == DcepMessage.Ack)
        {
            if (_channels.TryGet(streamId, out var opened) && !opened.Acknowledged)
            {
                opened.Acknowledged = true;
                Raise(new DataChannelEvent.ChannelOpened(streamId, opened.Label, opened.Protocol, opened.Ordered, opened.MaxRetransmits, opened.MaxLifetimeMs));
            }
            else
            {
                Counters.MessagesDropped++;
            }

            return;
        }

        if (!DcepMessage.TryParseOpen(message, out var open))
        {
            Counters.MessagesDropped++; // malformed OPEN: this stream only, nothing else
            return;
        }

        // The peer may reuse an id as soon as it has performed our reset, before its response reaches us.
        var reused = false;
        if (_channels.TryGet(streamId, out var existing))
        {
            if (!existing.ClosedRaised || existing.OutgoingResetDone)
            {
                Counters.MessagesDropped++; // duplicate OPEN for a live channel
                return;
            }

            reused = true;
        }

        var channel = new DataChannel(streamId, open.Label, open.Protocol, open.Ordered, open.MaxRetransmits, open.MaxLifetimeMs)
        {
            Acknowledged = true,
            AwaitingOutgoingReset = reused,
        };
        _channels.Replace(channel);
        if (!reused)
        {
            SendDcep(channel, [DcepMessage.Ack], TimeSpan.Zero);
        }
        Raise(new DataChannelEvent.ChannelOpened(streamId, open.Label, open.Protocol, open.Ordered, open.MaxRetransmits, open.MaxLifetimeMs));
    }

    /// <summary>RFC 8831 §6.7: the peer's reset closes its side; answer with our own reset of the stream.</summary>
    private void OnIncomingStreamReset(ushort streamId)
    {
        if (!_channels.TryGet(streamId, out var channel))
        {
            return;
        }

        if (!channel.ClosedRaised)
        {
            channel.ClosedRaised = true;
            Raise(new DataChannelEvent.ChannelClosed(streamId));
        }

        if (!channel.Closing)
        {
            channel.Closing = true;
            _association.ResetStream(streamId);
        }

        if (channel.OutgoingResetDone)
        {
            _channels.Remove(streamId);
        }
    }

    private void OnOutgoingStreamReset(ushort streamId)
    {
        if (!_channels.TryGet(streamId, out var channel))
        {
            return;
        }

        if (channel.AwaitingOutgoingReset)
        {
            // The old channel's reset is done: the reopened one may now speak, starting with its ACK.
            channel.AwaitingOutgoingReset = false;
            SendDcep(channel, [DcepMessage.Ack], TimeSpan.Zero);
            return;
        }

        channel.OutgoingResetDone = true;
        if (channel.ClosedRaised)
        {
            _channels.Remove(streamId); // only now may the id be used again
        }
    }

    private sealed class Handler(DataChannelConnection connection) : IAssociationHandler
    {
        public void Deliver(ushort streamId, uint ppid, ReadOnlySpan<byte> payload) => connection.OnMessage(streamId, ppid, payload);

        public void OnEstablished() => connection.Raise(new DataChannelEvent.Connected());

        public void OnClosed(string reason)
        {
            connection.Raise(new DataChannelEvent.Closed(reason));
            connection._closedRaised = true;
        }

        public void OnIncomingStreamReset(ushort streamId) => connection.OnIncomingStreamReset(streamId);

        public void OnOutgoingStreamReset(ushort streamId) => connection.OnOutgoingStreamReset(streamId);

        public void OnBytesReleased(ushort streamId, int bytes)
        {
            if (connection._channels.TryGet(streamId, out var channel))
            {
                channel.BufferedAmount = Math.Max(0, channel.BufferedAmount - bytes);
            }
        }
    }
}
