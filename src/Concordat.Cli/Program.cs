using Concordat.Cli;

return await ConcordatCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
