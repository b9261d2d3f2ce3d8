namespace Concordat.Store.Registry;

/// <summary>An engine's names for the column types the registry uses, for <see cref="RegistrySchema.CreateTables"/>.</summary>
/// <param name="Text">Text.</param>
/// <param name="Number32">A 32-bit integer.</param>
/// <param name="Number64">A 64-bit integer; instants are stored as microseconds in one (see <see cref="StoredInstant"/>).</param>
/// <param name="Bytes">A byte string.</param>
/// <param name="Boolean">A boolean.</param>
public sealed record RegistryColumnTypes(string Text, string Number32, string Number64, string Bytes, string Boolean);
