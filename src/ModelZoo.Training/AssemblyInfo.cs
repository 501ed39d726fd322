using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ModelZoo.Cli.Tests")]
