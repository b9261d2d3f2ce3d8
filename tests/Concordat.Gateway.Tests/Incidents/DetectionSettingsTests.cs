using Concordat.Gateway.Incidents;
using Concordat.Incidents.Detection;
using Concordat.Storage.Sqlite;

namespace Concordat.Gateway.Tests.Incidents;

/// <summary>The workspace's <c>detection.json</c>, read when the gateway is built.</summary>
public sealed class DetectionSettingsTests
{
    [Fact]
    public void Build_DetectionSettingUnknown_RefusesToStartNamingTheCode()
    {
        var workspace = IncidentsScenarios.Workspace("""{"spikeFactr": 3}""");
        try
        {
            var options = new GatewayOptions { Workspace = workspace, Urls = "http://127.0.0.1:0" };

            var error = Assert.Throws<InvalidDataException>(() => GatewayApp.Build(options, _ => new SqliteStoreEngine(workspace)));

            Assert.Contains("INC7002", error.Message, StringComparison.Ordinal);
            Assert.Contains("spikeFactr", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public void Read_NoFile_IsTheDefaults()
    {
        var workspace = Directory.CreateTempSubdirectory("concordat-gw-").FullName;
        try
        {
            Assert.Same(DetectionOptions.Default, DetectionSettings.Read(workspace));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public void Read_OneSetting_KeepsTheOtherDefaults()
    {
        var workspace = IncidentsScenarios.Workspace("""{"spikeFactor": 6}""");
        try
        {
            Assert.Equal(DetectionOptions.Default with { SpikeFactor = 6 }, DetectionSettings.Read(workspace));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }
}
