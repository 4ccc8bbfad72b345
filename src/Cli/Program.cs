using Overlay.Cli;

return await new CliApp(CliConsole.FromProcess()).RunAsync(args).ConfigureAwait(false);
