using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Problems;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Hosting;

/// <summary>
/// Requests the gateway refuses for their shape, before or around any handler: each is a problem document with its
/// own status and code, never an empty body or a 500.
/// </summary>
public sealed class RequestShapeTests
{
    [Fact]
    public async Task WrongMethod_KnownPath_Answers405WithAllowAndAProblem()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Anonymous.DeleteAsync("/v1/log/checkpoint");

        var problem = await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "GW6030");
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.False(string.IsNullOrEmpty(problem["traceId"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Head_GetRoute_AnswersAsGetWithoutABody()
    {
        await using var gateway = await TestGateway.StartAsync();
        var checkpoint = await gateway.Anonymous.GetStringAsync("/v1/log/checkpoint");

        using var head = await gateway.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/log/checkpoint"));
        var again = await gateway.Anonymous.GetStringAsync("/v1/log/checkpoint");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/plain", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(checkpoint, again);
    }

    [Fact]
    public async Task LongTarget_Answers414Problem()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Anonymous.GetAsync("/v1/log/entries?cursor=0&x=" + new string('a', RequestShape.MaxTargetBytes));

        await AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong, "GW6032");
    }

    [Fact]
    public async Task LargeHeaders_Answers431Problem()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/log/checkpoint");
        request.Headers.Add("X-Padding", new string('a', RequestShape.MaxHeaderBytes));

        using var response = await gateway.Anonymous.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "GW6033");
    }

    [Fact]
    public async Task DuplicateJsonMember_Answers400AndLogsTheRefusal()
    {
        await using var gateway = await TestGateway.StartAsync();
        const string Body = """{"recipient":"lab","recipient":"other","dataset":"d","purpose":"p","jurisdiction":"DE"}""";

        using var response = await gateway.Operator.PostAsync("/v1/decisions", new StringContent(Body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6013");
        var entries = await gateway.LogEntriesAsync();
        Assert.DoesNotContain(entries, e => e["type"]!.GetValue<string>() == "gateway.decision/v1");
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.refusal/v1" && e["body"]!["code"]!.GetValue<string>() == "GW6013");
    }

    [Theory]
    [InlineData(408, HttpStatusCode.RequestTimeout, "GW6031")]
    [InlineData(400, HttpStatusCode.BadRequest, "GW6013")]
    public async Task UnexpectedErrors_BadRequestBody_AnswersItsStatus(int status, HttpStatusCode expected, string code)
    {
        await using var gateway = await TestGateway.StartAsync();
        var context = new DefaultHttpContext { RequestServices = gateway.Services };
        context.Response.Body = new MemoryStream();
        var handler = gateway.Services.GetServices<IExceptionHandler>().OfType<UnexpectedErrors>().Single();

        var handled = await handler.TryHandleAsync(context, new BadHttpRequestException("body", status), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal((int)expected, context.Response.StatusCode);
        var problem = JsonNode.Parse(((MemoryStream)context.Response.Body).ToArray())!;
        Assert.Equal(code, problem["code"]!.GetValue<string>());
    }

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        return problem;
    }
}
