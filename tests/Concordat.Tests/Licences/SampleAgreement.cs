using Concordat.Agreements;

namespace Concordat.Tests.Licences;

internal static class SampleAgreement
{
    public static Agreement Read(string name) =>
        AgreementReader.Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "agreements", name)), name).Agreement!;
}
