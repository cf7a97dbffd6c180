using System.Globalization;
using System.Text;

namespace Ticker.Ingest.Broker;

/// <summary>
/// A symbol as one NATS subject token and back. Letters, digits and '-' stay as they are (subjects
/// read as the symbols); every other byte of the UTF-8 form, '_' included, becomes '_' and two hex
/// digits, so '.', '*', '>', '/' and spaces never split or widen a subject: BRK.B is BRK_2EB, EUR/USD
/// is EUR_2FUSD.
/// </summary>
public static class QuoteSubjects
{
    public static string Encode(string symbol)
    {
        var token = new StringBuilder(symbol.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(symbol))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-')
            {
                token.Append((char)b);
            }
            else
            {
                token.Append('_').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return token.ToString();
    }

    /// <summary>The symbol of a token <see cref="Encode"/> made; throws <see cref="FormatException"/> on any other.</summary>
    public static string Decode(string token)
    {
        var bytes = new List<byte>(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] != '_')
            {
                bytes.Add((byte)token[i]);
                continue;
            }

            if (i + 2 >= token.Length)
            {
                throw new FormatException($"subject token {token} ends inside an escape");
            }

            bytes.Add(byte.Parse(token.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            i += 2;
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
