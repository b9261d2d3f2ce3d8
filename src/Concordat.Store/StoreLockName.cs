namespace Concordat.Store;

/// <summary>The name of a lock that every replica of one store shares (<see cref="IStoreEngine.LockAsync"/>).</summary>
/// <param name="Value">The name: any text; two locks with the same name exclude each other.</param>
public readonly record struct StoreLockName(string Value);
