using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ModelZoo.Tests")]
