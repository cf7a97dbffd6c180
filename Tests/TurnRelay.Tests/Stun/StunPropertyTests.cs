using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Tests.Stun;

/// <summary>Properties of the STUN codec over generated messages and arbitrary bytes.</summary>
[Trait("Tier", "Fast")]
public sealed class StunPropertyTests
{
    [Property(MaxTest = 200)]
    public Property BuiltMessage_ParsesToWhatWasWritten() =>
        Prop.ForAll(StunSample.Generator.ToArbitrary(), sample =>
        {
            var message = sample.Encode();

            Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(message, out var reader));
            Assert.True(StunMessageReader.LooksLikeStun(message));
            Assert.True(StunMessageReader.TryGetFrameLength(message, out var frameLength));
            Assert.Equal(message.Length, frameLength);
            Assert.Equal(sample.Method, reader.Method);
            Assert.Equal(sample.Class, reader.Class);
            Assert.Equal(sample.TransactionId, reader.TransactionId.ToArray());
            var attributes = new List<(ushort, byte[])>();
            foreach (var attribute in reader.Attributes)
            {
                attributes.Add((attribute.Type, attribute.Value.ToArray()));
            }

            Assert.Equal(sample.Attributes.Length, attributes.Count);
            for (var i = 0; i < attributes.Count; i++)
            {
                Assert.Equal(sample.Attributes[i].Type, attributes[i].Item1);
                Assert.Equal(sample.Attributes[i].Value, attributes[i].Item2);
            }

            Assert.Equal(sample.Key is not null, reader.HasMessageIntegrity);
            Assert.Equal(sample.Key is not null, sample.Key is not null && StunIntegrity.Verify(reader, sample.Key));
            Assert.Equal(sample.Fingerprint, StunFingerprint.Verify(reader));
        });

    [Property(MaxTest = 200)]
    public Property XorAddressAndErrorCode_RoundTrip() =>
        Prop.ForAll(AddressGenerator().ToArbitrary(), ErrorGenerator().ToArbitrary(), (address, error) =>
        {
            var buffer = new byte[1024];
            var builder = new StunMessageBuilder(buffer, StunMethod.Allocate, StunClass.ErrorResponse, new byte[] { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2 });
            builder.AddXorAddress(StunAttributeType.XorPeerAddress, address);
            builder.AddErrorCode(error.Code, error.Reason);
            var message = builder.Written.ToArray();

            Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(message, out var reader));
            Assert.True(reader.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var read));
            Assert.Equal(address, read);
            Assert.True(reader.TryGetErrorCode(out var code, out var reason));
            Assert.Equal(error.Code, code);
            Assert.Equal(error.Reason, Encoding.UTF8.GetString(reason));
        });

    [Property(MaxTest = 300)]
    public Property ArbitraryBytes_ParseToAResultAndNeverThrow() =>
        Prop.ForAll(HostileGenerator().ToArbitrary(), bytes =>
        {
            var result = StunMessageReader.TryParse(bytes, out var reader);

            Assert.True(Enum.IsDefined(result));
            if (result == StunParseResult.Ok)
            {
                Assert.True(StunMessageReader.LooksLikeStun(bytes));
                foreach (var attribute in reader.Attributes)
                {
                    Assert.InRange(attribute.Offset + 4 + attribute.Value.Length, 0, reader.AttributesEnd);
                }

                reader.TryGetXorAddress(StunAttributeType.XorPeerAddress, out _);
                reader.TryGetXorAddress(StunAttributeType.XorMappedAddress, out _);
                reader.TryGetUInt32(StunAttributeType.Lifetime, out _);
                reader.TryGetErrorCode(out _, out _);
                StunIntegrity.Verify(reader, "key"u8);
                StunIntegrity.VerifySha1(reader, "key"u8);
                StunIntegrity.VerifySha256(reader, "key"u8);
                StunFingerprint.Verify(reader);
            }

            StunMessageReader.TryGetFrameLength(bytes, out _);
            ChannelDataFrame.TryRead(bytes, out _, out _);
            ChannelDataFrame.TryGetStreamFrameLength(bytes, out _);
        });

    [Property(MaxTest = 300)]
    public Property SingleBitFlip_FailsIntegrityOrFingerprint() =>
        Prop.ForAll(FlipGenerator().ToArbitrary(), flip =>
        {
            var (sample, bit) = flip;
            var message = sample.Encode();
            message[bit / 8] ^= (byte)(1 << (bit % 8));

            var accepted = StunMessageReader.TryParse(message, out var reader) == StunParseResult.Ok
                && (sample.Key is null || StunIntegrity.Verify(reader, sample.Key))
                && (!sample.Fingerprint || StunFingerprint.Verify(reader));

            Assert.False(accepted, $"bit {bit} of {message.Length * 8} flipped and still accepted");
        });

    private static Gen<(StunSample Sample, int Bit)> FlipGenerator() =>
        from sample in StunSample.Generator.Where(s => s.Key is not null || s.Fingerprint)
        from bit in Gen.Choose(0, (sample.Encode().Length * 8) - 1)
        select (sample, bit);

    private static Gen<StunTransportAddress> AddressGenerator() =>
        from v6 in Gen.Elements(false, true)
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        from more in Gen.Choose(int.MinValue, int.MaxValue)
        from port in Gen.Choose(0, 0xFFFF)
        select v6
            ? new StunTransportAddress(AddressFamily.InterNetworkV6, new UInt128(((ulong)(uint)high << 32) | (uint)low, ((ulong)(uint)more << 32) | (uint)high), (ushort)port)
            : StunTransportAddress.FromIPv4((uint)low, (ushort)port);

    private static Gen<(int Code, string Reason)> ErrorGenerator() =>
        from code in Gen.Choose(300, 699)
        from length in Gen.Choose(0, 60)
        from reason in Gen.ArrayOf(Gen.Elements('a', 'Z', ' ', '9', 'é', '€', '中'), length)
        select (code, new string(reason));

    /// <summary>Pure noise, noise behind a plausible header, and valid messages broken in one place.</summary>
    private static Gen<byte[]> HostileGenerator() =>
        Gen.OneOf(
            StunSample.Bytes(0, 120),
            from body in StunSample.Bytes(0, 200)
            from type in Gen.Choose(0, 0x3FFF)
            from lie in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(-8, 8)))
            select WithHeader(body, (ushort)type, body.Length + lie),
            from sample in StunSample.Generator
            from at in Gen.Choose(0, 10_000)
            from value in Gen.Choose(0, 255)
            from cut in Gen.Choose(0, 10_000)
            select Break(sample.Encode(), at, (byte)value, cut));

    private static byte[] WithHeader(byte[] body, ushort type, int length)
    {
        var message = new byte[StunMessageReader.HeaderLength + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message, type);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)Math.Clamp(length, 0, 0xFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), StunMessageReader.MagicCookie);
        body.CopyTo(message, StunMessageReader.HeaderLength);
        return message;
    }

    private static byte[] Break(byte[] message, int at, byte value, int cut)
    {
        message[at % message.Length] = value;
        return cut % 3 == 0 ? message[..(cut % (message.Length + 1))] : message;
    }
}
