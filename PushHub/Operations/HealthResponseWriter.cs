using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ticker.PushHub.Operations;

/// <summary>
/// The health endpoints' body: the overall status and each check's status, description, duration
/// and data, so an operator sees which dependency failed and why.
/// </summary>
internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("status", report.Status.ToString());
            w.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
            w.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                w.WriteStartObject(name);
                w.WriteString("status", entry.Status.ToString());
                w.WriteString("description", entry.Description);
                w.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
                if (entry.Data.Count > 0)
                {
                    w.WritePropertyName("data");
                    JsonSerializer.Serialize(w, entry.Data);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }
}
