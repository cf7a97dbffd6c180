using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Ticker.PushHub.Identity;

/// <summary><c>Auth:Jwt:PublicKeysFile</c>: a JWKS document (<c>{"keys":[...]}</c>) or PEM public keys (RSA or EC).</summary>
internal static class PublicKeys
{
    public static IReadOnlyList<SecurityKey> Load(string path)
    {
        var text = File.ReadAllText(path);
        if (text.TrimStart().StartsWith('{'))
        {
            return new JsonWebKeySet(text).GetSigningKeys().ToList();
        }

        var keys = new List<SecurityKey>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            keys.Add(ImportPem(rest[fields.Location].ToString()));
            rest = rest[fields.Location.End..];
        }

        return keys;
    }

    private static SecurityKey ImportPem(string pem)
    {
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (ArgumentException)
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
    }
}
