namespace Concordat.Storage.Tests.Postgres;

/// <summary>One PostgreSQL server for every test class in the collection.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresGroup : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
